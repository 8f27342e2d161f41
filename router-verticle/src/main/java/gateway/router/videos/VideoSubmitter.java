package gateway.router.videos;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.Hold;
import gateway.common.bus.Principal;
import gateway.common.bus.RequestOutcome;
import gateway.common.bus.ResolvedModel;
import gateway.common.bus.Route;
import gateway.common.bus.UsageReport;
import gateway.common.money.Usage;
import gateway.router.edge.ModelResolver;
import gateway.router.exchange.BillingClient;
import gateway.router.media.MediaInput;
import gateway.router.media.UnreadableAnswerException;
import gateway.router.media.VideoJobRequest;
import gateway.router.media.VideoJobState;
import gateway.router.media.VideoJobStatus;
import gateway.router.provider.UpstreamError;
import gateway.router.routing.ChannelBreakers;
import gateway.router.routing.RouteSelector;
import gateway.router.limits.RateLimiter;
import gateway.router.observe.RouterMetrics;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a video job: resolves the model, checks the request against its allow-lists ({@link VideoTerms}), holds
 * price × seconds for the job's whole life, creates the job upstream on the first route that takes it (another
 * route after a channel's own failure, none after the request's), and writes the job's row. Whatever fails before
 * the row exists releases the hold: a job the client never got an id for costs nothing.
 */
final class VideoSubmitter {
  private static final Logger LOG = LoggerFactory.getLogger(VideoSubmitter.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String TYPE = "text2video";

  /** What a client submits, checked for shape by its endpoint. */
  record Submission(String model, String channel, VideoAsk ask, MediaInput inputReference, JsonObject extra) {
  }

  private final ModelResolver resolver;
  private final BillingClient billing;
  private final ChannelBreakers breakers;
  private final RouteSelector selector;
  private final RateLimiter limiter;
  private final MediaHttp http;
  private final VideoJobs jobs;
  private final VideoJobsConfig config;

  VideoSubmitter(ModelResolver resolver, BillingClient billing, ChannelBreakers breakers, RouteSelector selector,
                 RateLimiter limiter, MediaHttp http, VideoJobs jobs, VideoJobsConfig config) {
    this.limiter = limiter;
    this.resolver = resolver;
    this.billing = billing;
    this.breakers = breakers;
    this.selector = selector;
    this.http = http;
    this.jobs = jobs;
    this.config = config;
  }

  /**
   * Submits the job; {@code response} gets the rate-limit headers (and {@code Retry-After} on a 429). The submit is
   * a request like any other to the key's, account's and channel's limits; the job's later life counts against none.
   */
  Future<VideoJobRow> submit(Principal principal, Submission submission, HttpServerResponse response) {
    return resolver.resolve(submission.model(), submission.channel(), principal).compose(model -> {
      if (!TYPE.equals(model.type())) {
        return Future.failedFuture(GatewayError.INVALID_VALUE.exception("model '" + model.alias()
            + "' is not a video model (type " + model.type() + ")", "model"));
      }
      VideoTerms terms = VideoTerms.of(model, submission.ask());
      List<Route> routes = selector.order(model.routes()).stream()
          .filter(route -> !breakers.isOpen(route.channel())).toList();
      if (routes.isEmpty()) {
        return Future.failedFuture(GatewayError.NO_AVAILABLE_CHANNEL.exception(model.routes().isEmpty()
            ? "No channel serves the model '" + model.alias() + "'."
            : "Every channel serving the model '" + model.alias() + "' is failing right now; retry shortly."));
      }
      String id = newId();
      return limiter.admit(id, principal, routes, 0).compose(admission -> {
        admission.headers().applyTo(response);
        if (!admission.admitted()) {
          RouterMetrics.rateLimitRefused(admission.refusedBy());
          response.putHeader("retry-after", Long.toString(admission.retryAfterSeconds()));
          return Future.failedFuture(admission.refusal());
        }
        return hold(id, principal, model, terms, submission, routes.subList(admission.firstRoute(), routes.size()))
            .onComplete(done -> admission.lease().finish(0));
      });
    });
  }

  private Future<VideoJobRow> hold(String id, Principal principal, ResolvedModel model, VideoTerms terms,
                                   Submission submission, List<Route> routes) {
    Hold hold = new Hold(id, principal.accountId(), principal.keyId(), model.alias(), terms.holdMicros(),
        principal.voucherIds(), principal.spendsCash(), config.holdLifeSeconds());
    return billing.reserve(hold).compose(held -> create(id, principal, model, terms, submission, routes)
        .onFailure(e -> billing.release(new UsageReport(id, principal.accountId(), principal.keyId(),
            model.alias(), null, Usage.ZERO, 0, RequestOutcome.FAILED, 0, 1, e.getMessage(), 0L))));
  }

  private Future<VideoJobRow> create(String id, Principal principal, ResolvedModel model, VideoTerms terms,
                                     Submission submission, List<Route> routes) {
    VideoAsk ask = submission.ask();
    VideoJobRequest request = new VideoJobRequest(model.alias(), ask.prompt(), terms.seconds(), terms.size(),
        terms.resolution(), terms.ratio(), ask.imageUrl(), submission.inputReference(), submission.extra());
    // routes whose API cannot take the request are passed over; when none can, the client hears why (a 400)
    List<Route> able = routes.stream().filter(r -> VideoProvider.forRoute(r).refusal(request, r) == null).toList();
    if (able.isEmpty() && !routes.isEmpty()) {
      return Future.failedFuture(VideoProvider.forRoute(routes.get(0)).refusal(request, routes.get(0)));
    }
    Promise<VideoJobRow> created = Promise.promise();
    tryRoute(able, 0, null, request, route -> state -> jobs.insert(new VideoJobs.NewJob(id,
        principal.accountId(), principal.keyId(), model.alias(), route.channel().name(), route.upstreamModel(),
        state.upstreamJobId(), state.status() == VideoJobStatus.RUNNING ? VideoJobRow.IN_PROGRESS : VideoJobRow.QUEUED,
        state.progress() == null ? 0 : Math.max(0, Math.min(99, state.progress())), ask.prompt(), terms.seconds(),
        terms.size(), terms.resolution(), terms.ratio(), terms.holdMicros())), created);
    return created.future();
  }

  private interface Insert {
    java.util.function.Function<VideoJobState, Future<VideoJobRow>> on(Route route);
  }

  private void tryRoute(List<Route> routes, int index, UpstreamError last, VideoJobRequest request, Insert insert,
                        Promise<VideoJobRow> created) {
    if (index >= routes.size()) {
      created.fail(last == null
          ? GatewayError.NO_AVAILABLE_CHANNEL.exception()
          : GatewayError.UPSTREAM_ERROR.exception(last.clientMessage()));
      return;
    }
    Route route = routes.get(index);
    Promise<Void> breaker = breakers.attempt(route.channel());
    if (breaker == null) {
      tryRoute(routes, index + 1, last, request, insert, created);
      return;
    }
    VideoProvider provider = VideoProvider.forRoute(route);
    VideoJobRequest upstreamRequest = route.upstreamModel() == null ? request : request.withModel(route.upstreamModel());
    http.send(provider.create(upstreamRequest, route)).onComplete(sent -> {
      UpstreamError error;
      if (sent.failed()) {
        error = UpstreamError.transport("channel '" + route.channel().name() + "' could not be reached",
            String.valueOf(sent.cause().getMessage()));
      } else if (!sent.result().ok()) {
        error = provider.error(sent.result().status(), sent.result().body());
      } else {
        VideoJobState state;
        try {
          state = provider.readCreated(sent.result().body(), route);
        } catch (UnreadableAnswerException e) {
          error = e.error();
          breaker.tryFail("unreadable answer");
          tryRoute(routes, index + 1, error, request, insert, created);
          return;
        }
        breaker.tryComplete();
        insert.on(route).apply(state).onComplete(row -> {
          if (row.failed()) {
            LOG.error("video job created upstream on channel {} but its row could not be written: {}",
                route.channel().name(), row.cause().getMessage());
            created.fail(GatewayError.SERVICE_UNAVAILABLE.exception("the job could not be recorded; retry"));
          } else {
            created.complete(row.result());
          }
        });
        return;
      }
      if (error.countsAgainstChannel()) {
        breaker.tryFail("channel failure");
      } else {
        breaker.tryComplete();
      }
      if (error.isClientError()) {
        created.fail(new GatewayException(GatewayError.INVALID_VALUE, error.clientMessage(), null));
        return;
      }
      tryRoute(routes, index + 1, error, request, insert, created);
    });
  }

  static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "video_" + HexFormat.of().formatHex(bytes);
  }
}
