package io.cantor.rvc.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cantor.rvc.audio.AudioClip;
import io.cantor.rvc.dsp.Preprocessor.Chunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

    private static float peak(float[] x) {
        float p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    @Test
    void cutsSlicesIntoOverlappingChunksLikeRvc() {
        int sr = 40000;
        float[] x = Signals.concat(Signals.sine(3 * sr, sr, 440, 0.5), new float[sr],
                Signals.sine(9 * sr, sr, 440, 0.5));
        List<Chunk> chunks = new Preprocessor(sr).processAtTargetRate(x);
        // RVC (scipy lfilter + slicer2.py) slices the high-passed signal at [0, 141600) and
        // [158400, 520000): the filter's decaying tail moves the quietest frame to the end of each
        // kept silence. The first slice is shorter than per + overlap = 4 s, so it is one chunk. The
        // second (361600 samples) yields 148000-sample (3.7 s) chunks at 0 and 136000 (3.4 s), and
        // the remainder from 272000 as the tail.
        assertEquals(4, chunks.size());
        int[] lengths = {141600, 148000, 148000, 89600};
        int[] slices = {0, 1, 1, 1};
        int[] starts = {0, 0, 136000, 272000};
        for (int i = 0; i < 4; i++) {
            Chunk c = chunks.get(i);
            assertEquals(i, c.index());
            assertEquals(slices[i], c.slice());
            assertEquals(starts[i], c.startInSlice());
            assertEquals(lengths[i], c.samples().length);
            assertEquals((int) Math.ceil(lengths[i] * 0.4), c.samples16k().length);
        }
    }

    @Test
    void normalisesEachChunkTheRvcWay() {
        int sr = 40000;
        float[] x = Signals.sine(2 * sr, sr, 1000, 0.2);
        List<Chunk> chunks = new Preprocessor(sr).processAtTargetRate(x);
        assertEquals(1, chunks.size());
        float[] filtered = HighPassFilter.rvc(sr).filter(x);
        double inPeak = peak(filtered);
        // y = x / peak * (0.9 * 0.75) + 0.25 * x, so the new peak is 0.675 + 0.25 * peak.
        float[] y = chunks.get(0).samples();
        assertEquals(0.675 + 0.25 * inPeak, peak(y), 1e-6);
        for (int i = 0; i < y.length; i += 101) {
            assertEquals(filtered[i] / inPeak * 0.675 + 0.25 * filtered[i], y[i], 1e-6);
        }
        // The 16 kHz copy carries the same 1 kHz tone at the same level.
        float[] y16 = chunks.get(0).samples16k();
        double a40 = Signals.amplitudeAt(y, 4000, y.length - 4000, sr, 1000);
        double a16 = Signals.amplitudeAt(y16, 1600, y16.length - 1600, 16000, 1000);
        assertEquals(0, Signals.db(a16 / a40), 0.1);
    }

    @Test
    void skipsChunksPeakingAbove2Point5AndSilentChunks() {
        int sr = 32000;
        assertTrue(new Preprocessor(sr).processAtTargetRate(Signals.sine(2 * sr, sr, 500, 3.0)).isEmpty());
        assertTrue(new Preprocessor(sr).processAtTargetRate(new float[3 * sr]).isEmpty());
    }

    @Test
    void resamplesInputToTheTargetRateFirst() {
        float[] x = Signals.sine(44100 * 2, 44100, 1000, 0.3);
        List<Chunk> chunks = new Preprocessor(48000).process(new AudioClip(x, 44100));
        assertEquals(1, chunks.size());
        float[] y = chunks.get(0).samples();
        assertEquals(96000, y.length);
        assertEquals(32000, chunks.get(0).samples16k().length);
        double expectedPeak = 0.675 + 0.25 * 0.3;
        assertEquals(expectedPeak, peak(y), 0.01);
    }
}
