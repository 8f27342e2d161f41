package gateway.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the pages' sources must never do, checked on the files that ship in the jar. */
class ConsoleSourcesTest {
  private static final Path ROOT = Path.of("src", "main", "resources", ConsolePages.WEBROOT);
  private static final Pattern KEY_USE = Pattern.compile("\\bt\\(\"([a-zA-Z0-9_.]+)\"");
  private static final Pattern KEY_PREFIX_USE = Pattern.compile("\\bt\\(\"([a-z]+\\.)\" \\+");
  private static final Pattern KEY_DEFINED = Pattern.compile("^\\s*\"([a-zA-Z0-9_.]+)\":", Pattern.MULTILINE);
  private static final Pattern SCRIPT_SRC = Pattern.compile("<script src=\"([^\"]+)\"");

  @Test
  @DisplayName("no script writes markup: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval")
  void noMarkupFromStrings() throws IOException {
    for (Path js : files(".js")) {
      String text = read(js);
      for (String banned : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
          "new Function", "setAttribute(\"style\"")) {
        assertTrue(!text.contains(banned), js + " uses " + banned);
      }
    }
  }

  @Test
  @DisplayName("the HTML has no inline script, style or event handler (the CSP would refuse them), and its scripts exist")
  void nothingInline() throws IOException {
    for (Path html : files(".html")) {
      String text = read(html);
      assertTrue(!Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(text).find(), html + " has an inline script");
      assertTrue(!text.contains("<style") && !text.contains(" style="), html + " has inline style");
      assertTrue(!Pattern.compile("\\son[a-z]+=").matcher(text).find(), html + " has an inline event handler");
      Matcher src = SCRIPT_SRC.matcher(text);
      while (src.find()) {
        String ref = src.group(1);
        Path target = ref.startsWith("/console/") ? ROOT.resolve("console").resolve(ref.substring("/console/".length()))
            : html.getParent().resolve(ref);
        if (ref.contains("common/")) {
          target = ROOT.resolve("common").resolve(ref.substring(ref.indexOf("common/") + "common/".length()));
        }
        assertTrue(Files.exists(target), html + " loads " + ref + ", which is missing");
      }
    }
  }

  @Test
  @DisplayName("every text key a page uses is in strings.js (the one place to translate), and strings.js has no duplicate")
  void everyTextKeyIsDefined() throws IOException {
    String strings = read(ROOT.resolve("common/strings.js"));
    List<String> defined = new ArrayList<>();
    Matcher d = KEY_DEFINED.matcher(strings);
    while (d.find()) {
      defined.add(d.group(1));
    }
    assertEquals(defined.size(), new TreeSet<>(defined).size(), "strings.js defines a key twice");
    Set<String> missing = new TreeSet<>();
    for (Path js : files(".js")) {
      Matcher use = KEY_USE.matcher(read(js));
      while (use.find()) {
        if (!defined.contains(use.group(1)) && !use.group(1).endsWith(".")) {
          missing.add(js.getFileName() + ": " + use.group(1));
        }
      }
      Matcher prefix = KEY_PREFIX_USE.matcher(read(js));
      while (prefix.find()) {
        String p = prefix.group(1);
        assertTrue(defined.stream().anyMatch(k -> k.startsWith(p)), js + " uses keys " + p + "* and none exists");
      }
    }
    assertTrue(missing.isEmpty(), "undefined text keys: " + missing);
  }

  private static List<Path> files(String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(ROOT)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).toList();
    }
  }

  private static String read(Path path) throws IOException {
    return Files.readString(path, StandardCharsets.UTF_8);
  }
}
