package io.cantor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

/**
 * One measured figure: its value in each run, how to print it, its target (if any) with the test
 * that decides whether the median meets it, and the published anchors or ceilings to read it against.
 *
 * @param runsNote printed instead of the number of runs when set (e.g. "ratio of medians")
 */
record Figure(String name, List<Double> runs, String format, String target, DoublePredicate met, String anchors,
              String runsNote) {

    /** What the summary says about a figure and its target. */
    enum Verdict {
        MET("met"), NOT_MET("**not met**"), NO_TARGET("—"), NOT_MEASURED("not measured");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    Figure(String name, String format) {
        this(name, new ArrayList<>(), format, "", null, "", null);
    }

    Figure target(String text, DoublePredicate test) {
        return new Figure(name, runs, format, text, test, anchors, runsNote);
    }

    Figure anchors(String text) {
        return new Figure(name, runs, format, target, met, text, runsNote);
    }

    Figure runsNote(String text) {
        return new Figure(name, runs, format, target, met, anchors, text);
    }

    void add(double value) {
        runs.add(value);
    }

    /** Met or not by the median of the runs; never by a single good run. */
    Verdict verdict() {
        if (met == null) {
            return runs.isEmpty() ? Verdict.NOT_MEASURED : Verdict.NO_TARGET;
        }
        if (runs.isEmpty()) {
            return Verdict.NOT_MEASURED;
        }
        return met.test(Stats.median(runs)) ? Verdict.MET : Verdict.NOT_MET;
    }

    /** {@code median (min..max)}; the value alone for a single run; "not measured" for none. */
    String value() {
        if (runs.isEmpty()) {
            return "not measured";
        }
        return runs.size() == 1 ? String.format(format, runs.get(0)) : Stats.summary(runs, format);
    }

    String runsText() {
        return runsNote != null ? runsNote : Integer.toString(runs.size());
    }
}
