package gateway.router.exchange;

import gateway.common.GatewayError;
import gateway.common.bus.ResolvedModel;

/**
 * The most a request can cost, held before the upstream call: a bound, not a guess.
 *
 * <ul>
 *   <li>Output: the limit the client set, else the model's {@code max_output_tokens}, else the
 *       configured default, times {@code n}. That same limit is sent upstream
 *       ({@link #outputLimit}), so the provider cannot write more than was held.</li>
 *   <li>Prompt: from the request's size, not its parts ({@link PromptSize}), capped at the
 *       model's context window, which no prompt can exceed; a request whose prompt is partly
 *       somewhere else (a stored response, a file, a document by URL, server tools) is held at
 *       the whole window.</li>
 *   <li>Price: every prompt token at the highest per-token price that may apply (cache writes
 *       cost more than input on some providers).</li>
 * </ul>
 * A provider that still reports more is charged in full as debt by billing, never silently free.
 */
public final class HoldEstimator {
  /** OpenAI's own maximum for {@code n}. */
  static final int MAX_CHOICES = 128;
  /** No model writes more in one answer; larger values only serve to overflow a hold. */
  static final int MAX_OUTPUT_TOKENS = 1_000_000;

  private final int defaultMaxOutputTokens;
  private final int defaultContextTokens;

  public HoldEstimator(int defaultMaxOutputTokens, int defaultContextTokens) {
    this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    this.defaultContextTokens = defaultContextTokens;
  }

  /** What a request may use at most: checked, so every later sum fits. */
  public record Bound(long promptTokens, int outputLimit, long outputTokens, long maxCostMicros) {
    /** Prompt and output together, as token-per-minute limits count a request up front. */
    public long totalTokens() {
      return promptTokens + outputTokens;
    }
  }

  /** The request's bound; a 400 naming the field when its output limit or {@code n} is out of range. */
  public Bound bound(ClientCall request, ResolvedModel model) {
    checkRange(request);
    int outputLimit = outputLimit(request, model);
    long outputTokens = (long) outputLimit * request.output().choices();
    long promptTokens = promptTokens(request, model);
    long maxCost;
    try {
      maxCost = model.price().holdMicros(promptTokens, outputTokens);
    } catch (ArithmeticException e) {
      throw GatewayError.INVALID_VALUE.exception("The most this request could cost is beyond any balance; "
          + "lower its output limit.", request.output().field());
    }
    return new Bound(promptTokens, outputLimit, outputTokens, maxCost);
  }

  /** The output limit per answer: the client's, else the model's maximum, else the default. */
  int outputLimit(ClientCall request, ResolvedModel model) {
    if (request.output().maxTokens() != null) {
      return request.output().maxTokens();
    }
    if (model.maxOutputTokens() != null && model.maxOutputTokens() > 0) {
      return Math.min(model.maxOutputTokens(), MAX_OUTPUT_TOKENS);
    }
    return defaultMaxOutputTokens;
  }

  private long promptTokens(ClientCall request, ResolvedModel model) {
    long window = model.contextLength() != null && model.contextLength() > 0 ? model.contextLength()
        : defaultContextTokens;
    PromptSize size = PromptSize.of(request.body());
    return size.elsewhere() ? window : Math.min(window, size.tokens());
  }

  private static void checkRange(ClientCall request) {
    if (request.output().choices() > MAX_CHOICES) {
      throw GatewayError.INVALID_VALUE.exception("'n' must be at most " + MAX_CHOICES, "n");
    }
    if (request.output().maxTokens() != null && request.output().maxTokens() > MAX_OUTPUT_TOKENS) {
      String field = request.output().field();
      throw GatewayError.INVALID_VALUE.exception("'" + field + "' must be at most " + MAX_OUTPUT_TOKENS, field);
    }
  }

}
