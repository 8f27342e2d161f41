package gateway.router.videos;

import gateway.common.GatewayError;
import gateway.common.GatewayException;
import gateway.common.bus.ResolvedModel;
import gateway.common.money.MediaPrice;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A video request checked against its model: the duration, resolution and ratio from the model's allow-lists
 * ({@code available_durations}, {@code available_resolutions}, {@code available_ratios}), each refused with a 400
 * naming the field and listing what is allowed; the price per second of the resolution; the hold. The seconds held
 * are the seconds sent upstream: a missing duration takes the model's shortest allowed one (4 without a list), and
 * OpenAI's create without a size the model's cheapest resolution, both sent explicitly.
 *
 * @param seconds     sent upstream, held and (at most) billed
 * @param resolution  the priced tier ({@code 720P}), derived from an OpenAI {@code size} when that is what came
 * @param size        OpenAI's {@code WxH}: as asked, or derived from resolution and ratio
 * @param microsPerSecond the price of one second at that resolution
 */
record VideoTerms(int seconds, String resolution, String ratio, String size, long microsPerSecond) {
  private static final int DEFAULT_SECONDS = 4;
  private static final int MAX_SECONDS = 600;
  private static final Pattern SIZE = Pattern.compile("(\\d{2,5})[x*](\\d{2,5})");
  private static final Pattern RATIO = Pattern.compile("(\\d{1,2}):(\\d{1,2})");
  private static final Map<Integer, String> TIERS = Map.of(480, "480P", 720, "720P", 1080, "1080P");

  long holdMicros() {
    return Math.multiplyExact(microsPerSecond, (long) seconds);
  }

  /** The cost of {@code delivered} seconds (never more than were held). */
  long costMicros(int delivered) {
    return Math.multiplyExact(microsPerSecond, (long) Math.min(Math.max(delivered, 0), seconds));
  }

  static VideoTerms of(ResolvedModel model, VideoAsk ask) {
    int seconds = seconds(model, ask);
    String ratio = ratio(model, ask.ratio());
    String resolution = ask.resolution();
    String size = ask.size();
    MediaPrice price = model.mediaPrice();
    if (size != null && !SIZE.matcher(size).matches()) {
      throw invalid("size", "'size' must be WIDTHxHEIGHT, such as \"1280x720\"");
    }
    if (resolution == null && size != null) {
      resolution = price.secondMicros(size) != null ? size : tierOf(size);
    }
    if (resolution == null && size == null && "seconds".equals(ask.durationField())) {
      resolution = cheapest(model, price);
    }
    if (resolution == null) {
      List<String> allowed = allowedStrings(model, "available_resolutions", List.copyOf(price.perSecond().keySet()));
      throw GatewayError.MISSING_FIELD.exception("'resolution' is required; allowed: " + String.join(", ", allowed),
          "resolution");
    }
    String field = ask.resolution() != null || size == null ? "resolution" : "size";
    List<String> allowed = allowedStrings(model, "available_resolutions", sorted(price.perSecond().keySet()));
    if (!allowed.contains(resolution) || price.secondMicros(resolution) == null) {
      throw invalid(field, "'" + field + "' " + quoted(ask.resolution() != null ? resolution : size)
          + " is not offered by model '" + model.alias() + "'; allowed resolutions: " + String.join(", ", allowed));
    }
    if (size == null) {
      size = sizeOf(resolution, ratio);
    }
    return new VideoTerms(seconds, resolution, ratio, size, price.secondMicros(resolution));
  }

  /** OpenAI's create names no size by default: the model's cheapest allowed resolution, sent explicitly. */
  private static String cheapest(ResolvedModel model, MediaPrice price) {
    return allowedStrings(model, "available_resolutions", sorted(price.perSecond().keySet())).stream()
        .filter(r -> price.secondMicros(r) != null)
        .min(java.util.Comparator.comparingLong((String r) -> price.secondMicros(r)).thenComparing(r -> r))
        .orElse(null);
  }

  private static int seconds(ResolvedModel model, VideoAsk ask) {
    List<Integer> allowed = new ArrayList<>();
    if (model.options().getValue("available_durations") instanceof JsonArray list) {
      list.forEach(d -> allowed.add(((Number) d).intValue()));
    }
    String field = ask.durationField();
    if (ask.seconds() == null) {
      if ("duration".equals(field)) {
        throw GatewayError.MISSING_FIELD.exception("'duration' is required (whole seconds)"
            + (allowed.isEmpty() ? "" : "; allowed: " + join(allowed)), "duration");
      }
      return allowed.isEmpty() ? DEFAULT_SECONDS : allowed.stream().min(Integer::compare).orElseThrow();
    }
    int seconds = ask.seconds();
    if (!allowed.isEmpty() && !allowed.contains(seconds)) {
      throw invalid(field, "'" + field + "' " + seconds + " is not offered by model '" + model.alias()
          + "'; allowed durations: " + join(allowed));
    }
    if (seconds < 1 || seconds > MAX_SECONDS) {
      throw invalid(field, "'" + field + "' must be from 1 to " + MAX_SECONDS + " seconds");
    }
    return seconds;
  }

  private static String ratio(ResolvedModel model, String ratio) {
    List<String> allowed = allowedStrings(model, "available_ratios", List.of());
    if (ratio == null) {
      return null;
    }
    if (!allowed.isEmpty() && !allowed.contains(ratio)) {
      throw invalid("ratio", "'ratio' " + quoted(ratio) + " is not offered by model '" + model.alias()
          + "'; allowed ratios: " + String.join(", ", allowed));
    }
    if (!RATIO.matcher(ratio).matches()) {
      throw invalid("ratio", "'ratio' must be W:H, such as \"16:9\"");
    }
    return ratio;
  }

  /** The tier of a frame size: its short side ({@code 1280x720 → 720P}); the size itself when it has none. */
  static String tierOf(String size) {
    Matcher m = SIZE.matcher(size);
    if (!m.matches()) {
      return size;
    }
    int shortSide = Math.min(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    return TIERS.getOrDefault(shortSide, size);
  }

  /** A frame size for a tier and a ratio, for an OpenAI-shaped upstream ({@code 720P}, {@code 9:16} → 720x1280). */
  static String sizeOf(String resolution, String ratio) {
    Integer shortSide = TIERS.entrySet().stream().filter(e -> e.getValue().equals(resolution)).map(Map.Entry::getKey)
        .findFirst().orElse(null);
    if (shortSide == null) {
      return SIZE.matcher(resolution).matches() ? resolution.replace('*', 'x') : null;
    }
    Matcher m = RATIO.matcher(ratio == null ? "16:9" : ratio);
    int w = m.matches() ? Integer.parseInt(m.group(1)) : 16;
    int h = m.matches() ? Integer.parseInt(m.group(2)) : 9;
    if (w == 0 || h == 0) {
      w = 16;
      h = 9;
    }
    int longSide = (int) Math.round(shortSide * (double) Math.max(w, h) / Math.min(w, h));
    return w >= h ? longSide + "x" + shortSide : shortSide + "x" + longSide;
  }

  @SuppressWarnings("unchecked")
  private static List<String> allowedStrings(ResolvedModel model, String field, List<String> fallback) {
    return model.options().getValue(field) instanceof JsonArray list ? (List<String>) (List<?>) list.getList()
        : fallback;
  }

  private static List<String> sorted(java.util.Collection<String> values) {
    return values.stream().sorted().toList();
  }

  private static String join(List<Integer> values) {
    return values.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static String quoted(String value) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    return "\"" + shown + "\"";
  }

  private static GatewayException invalid(String field, String message) {
    return GatewayError.INVALID_VALUE.exception(message, field);
  }
}
