package gateway.testsupport.fake;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The real (tiny) files the fake upstream hands out, made in code so tests can compare what the gateway stored
 * with what the upstream sent: a valid PNG of one colour per image index, and a minimal MP4 ({@code ftyp},
 * {@code moov/mvhd} carrying the duration, a small {@code mdat}) whose header says how many seconds it lasts.
 */
public final class FakeMediaFiles {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int MP4_TIMESCALE = 1000;
  private static final int MAX_SIDE = 2048;

  private FakeMediaFiles() {
  }

  /**
   * A {@code width} × {@code height} RGB PNG filled with a colour derived from {@code index}; sides above 2048 are
   * cut to 2048. Deterministic: the same arguments give the same bytes.
   */
  public static byte[] png(int width, int height, int index) {
    int w = Math.max(1, Math.min(MAX_SIDE, width));
    int h = Math.max(1, Math.min(MAX_SIDE, height));
    byte r = (byte) (40 + 53 * index);
    byte g = (byte) (200 - 31 * index);
    byte b = (byte) (90 + 17 * index);
    byte[] row = new byte[1 + 3 * w];
    for (int x = 0; x < w; x++) {
      row[1 + 3 * x] = r;
      row[2 + 3 * x] = g;
      row[3 + 3 * x] = b;
    }
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (int y = 0; y < h; y++) {
      raw.writeBytes(row);
    }
    deflater.setInput(raw.toByteArray());
    deflater.finish();
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    while (!deflater.finished()) {
      compressed.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    ByteBuffer header = ByteBuffer.allocate(13).putInt(w).putInt(h)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(PNG_SIGNATURE);
    pngChunk(png, "IHDR", header.array());
    pngChunk(png, "IDAT", compressed.toByteArray());
    pngChunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  /** The width and height in a PNG's IHDR, or null when {@code bytes} is not a PNG. */
  public static int[] pngSize(byte[] bytes) {
    if (bytes.length < 24) {
      return null;
    }
    for (int i = 0; i < PNG_SIGNATURE.length; i++) {
      if (bytes[i] != PNG_SIGNATURE[i]) {
        return null;
      }
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 16, 8);
    return new int[] {buffer.getInt(), buffer.getInt()};
  }

  /** A minimal MP4 lasting {@code seconds}: {@code ftyp}, {@code moov} with its {@code mvhd}, and a small {@code mdat}. */
  public static byte[] mp4(int seconds) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer ftyp = ByteBuffer.allocate(16).put("isom".getBytes(StandardCharsets.US_ASCII)).putInt(512)
        .put("isom".getBytes(StandardCharsets.US_ASCII)).put("mp41".getBytes(StandardCharsets.US_ASCII));
    box(out, "ftyp", ftyp.array());
    ByteBuffer mvhd = ByteBuffer.allocate(100);
    mvhd.putInt(0);
    mvhd.putInt(0).putInt(0);
    mvhd.putInt(MP4_TIMESCALE).putInt(seconds * MP4_TIMESCALE);
    mvhd.putInt(0x00010000).putShort((short) 0x0100).putShort((short) 0).putInt(0).putInt(0);
    int[] matrix = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};
    for (int m : matrix) {
      mvhd.putInt(m);
    }
    for (int i = 0; i < 6; i++) {
      mvhd.putInt(0);
    }
    mvhd.putInt(2);
    ByteArrayOutputStream moov = new ByteArrayOutputStream();
    box(moov, "mvhd", mvhd.array());
    box(out, "moov", moov.toByteArray());
    byte[] data = new byte[256];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7 + seconds);
    }
    box(out, "mdat", data);
    return out.toByteArray();
  }

  /** The duration in whole seconds that an MP4's {@code moov/mvhd} declares, or -1 when there is none. */
  public static int mp4Seconds(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.remaining() >= 8) {
      int start = buffer.position();
      int size = buffer.getInt();
      String type = new String(bytes, start + 4, 4, StandardCharsets.US_ASCII);
      if (size < 8 || start + size > bytes.length) {
        return -1;
      }
      if (type.equals("moov")) {
        buffer.position(start + 8);
        continue;
      }
      if (type.equals("mvhd")) {
        ByteBuffer mvhd = ByteBuffer.wrap(bytes, start + 8, size - 8);
        mvhd.getInt();
        mvhd.getInt();
        mvhd.getInt();
        int timescale = mvhd.getInt();
        long duration = Integer.toUnsignedLong(mvhd.getInt());
        return timescale == 0 ? -1 : (int) (duration / timescale);
      }
      buffer.position(start + size);
    }
    return -1;
  }

  private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static void box(ByteArrayOutputStream out, String type, byte[] payload) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(8 + payload.length).array());
    out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
  }
}
