package gateway.testsupport.load;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Every answer of a load, in the order they ended, with the counts a test or a soak report needs. */
public record LoadReport(List<Answer> answers) {

  public LoadReport {
    answers = List.copyOf(answers);
  }

  public long count(Predicate<Answer> which) {
    return answers.stream().filter(which).count();
  }

  public long count(Verdict verdict) {
    return count(a -> a.verdict() == verdict);
  }

  public List<Answer> broken() {
    return answers.stream().filter(a -> a.verdict() == Verdict.BROKEN).toList();
  }

  /** How many answers per call, status and verdict, e.g. {@code chat m stream 200 COMPLETE=120}. */
  public Map<String, Long> tally() {
    return answers.stream().collect(Collectors.groupingBy(
        a -> a.call() + " " + a.status() + " " + a.verdict() + (a.code() == null ? "" : " " + a.code()),
        TreeMap::new, Collectors.counting()));
  }

  /** One line per tally entry, then the first broken answers in full. */
  public String summary() {
    StringBuilder text = new StringBuilder(answers.size() + " answers\n");
    tally().forEach((what, n) -> text.append("  ").append(what).append(" = ").append(n).append('\n'));
    broken().stream().limit(10).forEach(a -> text.append("  BROKEN: ").append(a).append('\n'));
    return text.toString();
  }
}
