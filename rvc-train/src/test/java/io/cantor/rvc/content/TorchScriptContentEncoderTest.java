package io.cantor.rvc.content;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TorchScriptContentEncoderTest {

    @TempDir
    Path dir;

    /** A stand-in HuBERT: each 20 ms frame's mean, repeated 768 times, as [1, frames, 768]. */
    private Path frameMeanModule() throws IOException {
        return TorchScriptArchive.write(dir.resolve("hubert_stub.pt"), "FrameMeans",
                "    x = torch.unsqueeze(wav, 1)\n"
                        + "    y = torch.avg_pool1d(x, [320], [320])\n"
                        + "    z = torch.transpose(y, 1, 2)\n"
                        + "    return torch.repeat(z, [1, 1, 768])\n");
    }

    @Test
    void returnsOneRowOf768PerTwentyMillisecondFrameWithTheModulesValues() throws Exception {
        float[] ramp = new float[16000];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i / 16000f;
        }
        try (TorchScriptContentEncoder encoder = new TorchScriptContentEncoder(frameMeanModule())) {
            float[][] features = encoder.encode(ramp);
            assertEquals(50, features.length);
            assertEquals(768, features[0].length);
            assertEquals(768, encoder.dim());
            assertEquals(TorchScriptContentEncoder.KIND, encoder.kind());
            for (int t : new int[]{0, 17, 49}) {
                double expected = (t * 320 + 159.5) / 16000.0; // mean of the ramp over frame t
                assertEquals(expected, features[t][0], 1e-4);
                assertEquals(expected, features[t][767], 1e-4);
            }
            float[][] at100Hz = encoder.encode100Hz(ramp, 101);
            assertEquals(101, at100Hz.length);
            assertEquals(features[3][0], at100Hz[6][0]);
            assertEquals(features[3][0], at100Hz[7][0]);
            assertEquals(features[49][0], at100Hz[100][0]); // padded with the last frame
        }
    }

    @Test
    void refusesAModuleThatReturnsTheWrongRank() throws Exception {
        Path flat = TorchScriptArchive.write(dir.resolve("flat.pt"), "Flat", "    return torch.flatten(wav, 0, -1)\n");
        try (TorchScriptContentEncoder encoder = new TorchScriptContentEncoder(flat)) {
            assertThrows(IllegalStateException.class, () -> encoder.encode(new float[3200]));
        }
    }

    @Test
    void aMissingOrBrokenFileIsAnIoError() throws Exception {
        assertThrows(IOException.class, () -> new TorchScriptContentEncoder(dir.resolve("absent.pt")));
        Path junk = Files.writeString(dir.resolve("junk.pt"), "not a zip");
        assertThrows(IOException.class, () -> new TorchScriptContentEncoder(junk));
    }
}
