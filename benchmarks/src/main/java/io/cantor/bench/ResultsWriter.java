package io.cantor.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code benchmarks/RESULTS.md}: a title block (command, date, machine, commit), a summary
 * table with every figure next to its target, whether the median meets it, and the published
 * anchors; the anchors in full; "What limits the figures" (the text of {@code benchmarks/ANALYSIS.md}
 * when there is one); then each part's detailed section.
 *
 * <p>Each detailed section is fenced by HTML comments that also hold its summary rows, so a later
 * run of some parts only ({@code --only}, {@code --skip-quality}) can carry the other parts over
 * from the previous file unchanged ({@link #carriedBlocks}).
 */
final class ResultsWriter {
    private ResultsWriter() {
    }

    /** One part's results: its key ({@code --only}), title, detailed section, summary rows and notes for the summary. */
    record Block(String key, String title, String section, List<String> summaryRows, List<String> notes, boolean carried) {
        /** A part measured in this run. */
        static Block of(String key, String title, String section, List<Figure> figures, List<String> notes) {
            return new Block(key, title, section, figures.stream().map(ResultsWriter::summaryRow).toList(), notes, false);
        }
    }

    /** What the title block says about the run that wrote the file. */
    record Header(String command, String date, double seconds, String machine, String commit, boolean quick,
                  boolean inProgress) {
    }

    static final String SUMMARY_HEADER = "| part | figure | median (min..max) | runs | target | met? | anchors and ceilings |\n"
            + "|---|---|---|---|---|---|---|\n";

    /** {@code | figure | value | runs | target | verdict | anchors |}: the summary row without its part column. */
    static String summaryRow(Figure f) {
        return "| " + cell(f.name()) + " | " + f.value() + " | " + f.runsText() + " | " + (f.target().isEmpty() ? "—" : cell(f.target()))
                + " | " + f.verdict().text + " | " + (f.anchors().isEmpty() ? "—" : cell(f.anchors())) + " |";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /**
     * The whole file. {@code blocks} in the order of {@code order}; a key of {@code order} without a
     * block is listed as not run, with its reason from {@code notRun} if there is one. {@code analysis}:
     * the text of ANALYSIS.md, or null.
     */
    static String write(Header header, List<String> order, Map<String, Block> blocks, Map<String, String> titles,
                        Map<String, String> notRun, String analysis, String analysisPath) {
        StringBuilder md = new StringBuilder();
        md.append("# Cantor benchmark results\n\n");
        md.append("Written by the benchmark suite (`benchmarks/run`, see `benchmarks/README.md`); regenerate it with the command ")
                .append("below rather than editing it. Every figure is the median of its runs, with the smallest and largest in ")
                .append("brackets; *met?* compares the median with the target (issue 8; issue 4 for quality).\n\n");
        md.append("- Command: `").append(header.command()).append("`\n");
        md.append("- Date: ").append(header.date()).append(", took ").append(RunInfo.duration(header.seconds())).append('\n');
        md.append("- Machine: ").append(header.machine()).append('\n');
        md.append("- Git commit: ").append(header.commit()).append('\n');
        if (header.quick()) {
            md.append("\n**Quick mode (`--quick`): a smoke test with one run and smaller sizes. These are not the figures; ")
                    .append("run without `--quick` for them.**\n");
        }
        if (header.inProgress()) {
            md.append("\n**This run is still in progress (or stopped before the end): parts without a section are not done.**\n");
        }

        md.append("\n## Summary\n\n").append(SUMMARY_HEADER);
        List<String> notes = new ArrayList<>();
        for (String key : order) {
            Block b = blocks.get(key);
            String title = titles.getOrDefault(key, key);
            if (b == null) {
                notes.add(title + ": not run" + (notRun.containsKey(key) ? " (" + notRun.get(key) + ")."
                        : header.inProgress() ? " yet." : "."));
                continue;
            }
            String part = b.carried() ? title + " (earlier run)" : title;
            for (int i = 0; i < b.summaryRows().size(); i++) {
                md.append("| ").append(i == 0 ? part : "").append(' ').append(b.summaryRows().get(i)).append('\n');
            }
            if (b.carried()) {
                notes.add(title + ": carried over from the previous file" + (notRun.containsKey(key) ? " (this run: "
                        + notRun.get(key) + ")" : "") + "; its section gives its own date and commit.");
            }
            b.notes().forEach(n -> notes.add(title + ": " + n));
        }
        if (!notes.isEmpty()) {
            md.append("\nNotes:\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        md.append("\nPublished anchors and measured ceilings to read the figures against:\n\n");
        Anchors.ALL.forEach(a -> md.append("- ").append(a).append('\n'));

        md.append("\n## What limits the figures\n\n");
        if (analysis == null || analysis.isBlank()) {
            md.append("_No `").append(analysisPath).append("` yet: this section is filled from that file whenever the results ")
                    .append("are written._\n");
        } else {
            md.append("<!-- the text of ").append(analysisPath).append(", copied when the results were written -->\n\n");
            md.append(demoteHeadings(analysis.strip(), 3)).append('\n');
        }

        for (String key : order) {
            Block b = blocks.get(key);
            if (b != null) {
                md.append('\n').append(fenced(b));
            }
        }
        return md.toString();
    }

    private static final Pattern BLOCK = Pattern.compile(
            "<!-- part ([a-z0-9-]+) begins -->\\n(.*?)<!-- summary rows of \\1\\n(.*?)-->\\n<!-- part \\1 ends -->\\n", Pattern.DOTALL);

    /** The detailed section between markers that let a later partial run carry it over. */
    static String fenced(Block b) {
        StringBuilder md = new StringBuilder();
        md.append("<!-- part ").append(b.key()).append(" begins -->\n");
        md.append(b.section().strip()).append("\n");
        md.append("<!-- summary rows of ").append(b.key()).append('\n');
        b.summaryRows().forEach(r -> md.append(r.replace("-->", "- ->")).append('\n'));
        b.notes().forEach(n -> md.append("note: ").append(n.replace("-->", "- ->").replace("\n", " ")).append('\n'));
        md.append("-->\n<!-- part ").append(b.key()).append(" ends -->\n");
        return md.toString();
    }

    /** The parts of a file this class wrote, by key, marked as carried over. */
    static Map<String, Block> carriedBlocks(String previous) {
        Map<String, Block> blocks = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(previous);
        while (m.find()) {
            List<String> rows = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (String line : m.group(3).split("\n")) {
                if (line.startsWith("|")) {
                    rows.add(line);
                } else if (line.startsWith("note: ")) {
                    notes.add(line.substring(6));
                }
            }
            String section = m.group(2);
            String title = section.startsWith("## ") ? section.substring(3, section.indexOf('\n')).strip() : m.group(1);
            blocks.put(m.group(1), new Block(m.group(1), title, section, rows, notes, true));
        }
        return blocks;
    }

    /**
     * Shifts Markdown headings (outside fenced code) so the highest becomes level {@code top}: the
     * analysis is a subsection of "What limits the figures", whatever levels its author used.
     */
    static String demoteHeadings(String text, int top) {
        String[] lines = text.split("\n", -1);
        int min = Integer.MAX_VALUE;
        boolean fence = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                fence = !fence;
            } else if (!fence && level(line) > 0) {
                min = Math.min(min, level(line));
            }
        }
        if (min == Integer.MAX_VALUE || min >= top) {
            return text;
        }
        int shift = top - min;
        StringBuilder out = new StringBuilder();
        fence = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("```")) {
                fence = !fence;
            } else if (!fence && level(line) > 0) {
                line = "#".repeat(Math.min(6, level(line) + shift)) + line.substring(level(line));
            }
            out.append(line);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static int level(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == '#') {
            n++;
        }
        return n >= 1 && n <= 6 && n < line.length() && line.charAt(n) == ' ' ? n : 0;
    }
}
