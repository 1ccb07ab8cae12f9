package io.cantor.rvc.eval;

/**
 * Pitch accuracy between a reference and an estimated F0 track (Hz, 0 = unvoiced): RMSE in Hz and
 * in cents and Pearson correlation over frames voiced in both, and the voiced/unvoiced decision
 * error rate over all compared frames.
 */
public final class F0Metrics {

    /**
     * @param rmseHz       root-mean-square error in Hz over frames voiced in both (NaN if none)
     * @param rmseCents    the same in cents, 1200 log2(est / ref)
     * @param pearson      correlation of the two tracks over frames voiced in both (NaN if fewer than 2
     *                     or a track is constant there)
     * @param vuvErrorRate fraction of compared frames whose voicing decisions differ
     * @param voicedBoth   frames voiced in both
     * @param frames       frames compared
     */
    public record Result(double rmseHz, double rmseCents, double pearson, double vuvErrorRate,
                         int voicedBoth, int frames) {
    }

    private F0Metrics() {
    }

    /** Frame-by-frame over the shorter length (tracks at the same frame rate, same start). */
    public static Result compare(float[] reference, float[] estimate) {
        int n = Math.min(reference.length, estimate.length);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return compare(reference, estimate, idx, idx);
    }

    /** Along a {@link Dtw} path (e.g. from {@link MelCepstralDistortion}), for utterances of different length. */
    public static Result compare(float[] reference, float[] estimate, Dtw.Alignment path) {
        return compare(reference, estimate, path.a(), path.b());
    }

    private static Result compare(float[] ref, float[] est, int[] ia, int[] ib) {
        int frames = 0;
        int mismatched = 0;
        int both = 0;
        double sq = 0;
        double sqCents = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int k = 0; k < ia.length; k++) {
            if (ia[k] >= ref.length || ib[k] >= est.length) {
                continue;
            }
            double x = ref[ia[k]];
            double y = est[ib[k]];
            frames++;
            boolean vx = x > 0;
            boolean vy = y > 0;
            if (vx != vy) {
                mismatched++;
            }
            if (vx && vy) {
                both++;
                sq += (y - x) * (y - x);
                double cents = 1200 * Math.log(y / x) / Math.log(2);
                sqCents += cents * cents;
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
            }
        }
        double rmse = both == 0 ? Double.NaN : Math.sqrt(sq / both);
        double rmseCents = both == 0 ? Double.NaN : Math.sqrt(sqCents / both);
        double pearson = Double.NaN;
        if (both >= 2) {
            double cov = sxy - sx * sy / both;
            double vx = sxx - sx * sx / both;
            double vy = syy - sy * sy / both;
            if (vx > 0 && vy > 0) {
                pearson = cov / Math.sqrt(vx * vy);
            }
        }
        double vuv = frames == 0 ? Double.NaN : (double) mismatched / frames;
        return new Result(rmse, rmseCents, pearson, vuv, both, frames);
    }
}
