package io.cantor.rvc.content;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive without Python: the layout {@code torch.jit.save} produces for a
 * parameter-free scripted module (stored zip entries under one top folder: {@code version},
 * {@code code/__torch__.py} with the TorchScript source, {@code data.pkl} pickling the module object
 * as {@code GLOBAL __torch__.<Class>, EMPTY_TUPLE, NEWOBJ, {training: False}, BUILD} and an empty
 * {@code constants.pkl}). libtorch compiles the source at load time.
 */
final class TorchScriptArchive {
    private TorchScriptArchive() {
    }

    static Path write(Path file, String className, String forwardBody) throws IOException {
        String source = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__." + className + ",\n"
                + "    wav: Tensor) -> Tensor:\n"
                + forwardBody;
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", modulePickle(className));
        entries.put("archive/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
        entries.put("archive/constants.pkl", new byte[]{(byte) 0x80, 2, ')', '.'});
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        entries.put("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                entry.setSize(e.getValue().length);
                entry.setCompressedSize(e.getValue().length);
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static byte[] modulePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2); // PROTO 2
        p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x89); // NEWFALSE
        p.write('s'); // SETITEM
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }
}
