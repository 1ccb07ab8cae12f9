package io.cantor.model.audio;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AudioHeaderTest {

    static byte[] wav(int format, int channels, int rate, int bits, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) format).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        return b.array();
    }

    @Test
    void readsPcmWav() throws Exception {
        byte[] file = wav(1, 2, 48000, 16, 48000 * 4);
        AudioHeader h = AudioHeader.read(file, file.length);
        assertEquals(new AudioHeader("wav", 48000, 2, 16, 1.0), h);
    }

    @Test
    void readsFloatWavAndTrustsTheFileSizeOverATruncatedHeader() throws Exception {
        byte[] file = wav(3, 1, 16000, 32, 16000 * 4 * 2);
        AudioHeader h = AudioHeader.read(java.util.Arrays.copyOf(file, 1000), 44 + 16000 * 4);
        assertEquals(1.0, h.seconds(), 1e-9, "only one second of data actually arrived");
        assertEquals(32, h.bitsPerSample());
    }

    @Test
    void readsFlacStreamInfo() throws Exception {
        byte[] file = new byte[64];
        System.arraycopy("fLaC".getBytes(StandardCharsets.US_ASCII), 0, file, 0, 4);
        file[4] = (byte) 0x80; // last metadata block, type 0 = STREAMINFO
        file[7] = 34;
        long rate = 44100, channels = 2, bits = 16, samples = 88200;
        long packed = (rate << 44) | ((channels - 1) << 41) | ((bits - 1) << 36) | samples;
        for (int i = 0; i < 8; i++) {
            file[8 + 10 + i] = (byte) (packed >>> (56 - 8 * i));
        }
        assertEquals(new AudioHeader("flac", 44100, 2, 16, 2.0), AudioHeader.read(file, file.length));
    }

    @Test
    void refusesWhatIsNotAudio() {
        assertThrows(AudioHeader.NotAudioException.class, () -> AudioHeader.read("hello world".getBytes(), 11));
        assertThrows(AudioHeader.NotAudioException.class, () -> AudioHeader.read(new byte[0], 0));
        assertThrows(AudioHeader.NotAudioException.class, () -> AudioHeader.read(wav(85, 1, 44100, 16, 10), 54),
                "MP3-in-WAV is not PCM");
        byte[] noData = java.util.Arrays.copyOf(wav(1, 1, 16000, 16, 0), 36);
        assertThrows(AudioHeader.NotAudioException.class, () -> AudioHeader.read(noData, noData.length));
        assertThrows(AudioHeader.NotAudioException.class, () -> AudioHeader.read(wav(1, 0, 16000, 16, 10), 54));
    }
}
