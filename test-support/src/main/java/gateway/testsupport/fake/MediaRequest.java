package gateway.testsupport.fake;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * A media request's body, whether JSON or {@code multipart/form-data}: the fields (form fields as strings, JSON
 * as it came) and the uploaded files by field name. Null {@code fields} means the body was neither valid JSON
 * nor a form.
 */
record MediaRequest(MultiMap headers, JsonObject fields, Map<String, List<Upload>> files, boolean multipart) {

  /** One uploaded file of a multipart body. */
  record Upload(String field, String filename, String contentType, Buffer bytes) {}

  String string(String name) {
    return JsonFields.string(fields, name);
  }

  /** A field that may be sent as a number (JSON) or a string (forms, and OpenAI's own {@code "seconds": "8"}). */
  Integer integer(String name) {
    Object value = fields == null ? null : fields.getValue(name);
    if (value instanceof Number n && n.doubleValue() == n.intValue()) {
      return n.intValue();
    }
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  boolean has(String name) {
    return fields != null && fields.containsKey(name);
  }

  List<Upload> uploads(String field) {
    List<Upload> single = files.get(field);
    List<Upload> array = files.get(field + "[]");
    if (single == null) {
      return array == null ? List.of() : array;
    }
    return array == null ? single : java.util.stream.Stream.concat(single.stream(), array.stream()).toList();
  }

  /** What {@link RecordedRequest#body()} shows: the fields, and each file as its name, type and size. */
  JsonObject recorded() {
    if (fields == null) {
      return null;
    }
    JsonObject copy = fields.copy();
    files.forEach((field, uploads) -> {
      JsonArray described = new JsonArray();
      for (Upload upload : uploads) {
        described.add(new JsonObject().put("filename", upload.filename()).put("content_type", upload.contentType())
            .put("size", upload.bytes().length()));
      }
      copy.put(field, uploads.size() == 1 ? described.getJsonObject(0) : described);
    });
    return copy;
  }
}
