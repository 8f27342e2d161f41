package gateway.router.selfservice;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.router.edge.AdminActor;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.RoutingContext;

/**
 * Operators on the admin API with a password instead of the token: a call without an
 * {@code Authorization} header that carries a session cookie goes through the session and CSRF
 * handlers, and an operator's session is admitted (admin: every call; viewer: GET only). Calls with
 * the admin token never touch sessions.
 */
final class OperatorSessions {
  /** What an operator's page sends: catalog edits, top-ups. */
  private static final long OPERATOR_BODY_LIMIT = 1024 * 1024;

  private final Sessions sessions;

  OperatorSessions(Sessions sessions) {
    this.sessions = sessions;
  }

  /**
   * Mount before the admin token check. A session call's body is read first: the session handler
   * resumes the request it loads the session for, and a body arriving then would be lost.
   */
  void mount(Router admin) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(OPERATOR_BODY_LIMIT);
    admin.route().handler(ctx -> {
      if (usesSession(ctx) && !ctx.body().available() && !ctx.request().isEnded()) {
        body.handle(ctx);
      } else {
        ctx.next();
      }
    });
    admin.route().handler(ctx -> {
      if (usesSession(ctx)) {
        sessions.session(ctx);
      } else {
        ctx.next();
      }
    });
    admin.route().handler(ctx -> {
      if (usesSession(ctx)) {
        sessions.csrf(ctx);
      } else {
        ctx.next();
      }
    });
    admin.route().handler(ctx -> {
      if (usesSession(ctx)) {
        sessions.loadUser(ctx);
      } else {
        ctx.next();
      }
    });
    admin.route().handler(this::admit);
    admin.route().failureHandler(this::failed);
  }

  private void admit(RoutingContext ctx) {
    SignedInUser user = usesSession(ctx) ? Sessions.user(ctx) : null;
    if (user == null) {
      ctx.next();
      return;
    }
    if (!user.operator()) {
      ctx.fail(GatewayError.FORBIDDEN.exception("Only operators may use the admin API."));
      return;
    }
    AdminActor.operator(user.id(), user.email(), user.role()).put(ctx);
    HttpMethod method = ctx.request().method();
    if ("viewer".equals(user.role()) && method != HttpMethod.GET && method != HttpMethod.HEAD) {
      ctx.fail(GatewayError.FORBIDDEN.exception("A viewer may only read."));
      return;
    }
    ctx.next();
  }

  /** A CSRF refusal is answered here; anything else goes on to the audit log and the error answer. */
  private void failed(RoutingContext ctx) {
    if (!usesSession(ctx)) {
      ctx.next();
      return;
    }
    if (!(ctx.failure() instanceof GatewayException) && ctx.statusCode() == 403) {
      SelfServiceErrors.handle(ctx);
      return;
    }
    Sessions.store(ctx, true).onComplete(stored -> {
      Replies.mirrorCsrfToken(ctx);
      ctx.next();
    });
  }

  private static boolean usesSession(RoutingContext ctx) {
    return ctx.request().getHeader("authorization") == null && ctx.request().getCookie(Sessions.COOKIE) != null;
  }
}
