package io.cantor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cantor.model.json.Json;
import io.cantor.model.util.Flags;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/cantor submit|status|watch|download|cancel}: the API from a terminal.
 * The server is {@code --url} or {@code CANTOR_URL}; the key {@code --api-key} or {@code CANTOR_API_KEY}.
 */
public final class CantorCli {
    private static final Set<String> FLAGS = Set.of("url", "api-key", "params", "dataset", "output", "idempotency-key",
            "tenant", "roles", "transpose", "index-rate");
    private static final Set<String> SWITCHES = Set.of("watch", "json", "no-wait");

    private final CantorClient client;
    private final PrintStream out;
    private final boolean json;

    CantorCli(CantorClient client, PrintStream out, boolean json) {
        this.client = client;
        this.out = out;
        this.json = json;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the process exit code (0 ok, 1 job did not succeed, 2 usage or API error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        try {
            Flags flags = Flags.parse(java.util.Arrays.copyOfRange(args, 1, args.length), FLAGS, SWITCHES);
            String url = flags.get("url", env("CANTOR_URL", "http://localhost:8080"));
            CantorCli cli = new CantorCli(new CantorClient(URI.create(url.endsWith("/") ? url : url + "/"),
                    flags.get("api-key", env("CANTOR_API_KEY", null))), out, flags.has("json"));
            return cli.dispatch(args[0], flags);
        } catch (IllegalArgumentException e) {
            err.println("cantor: " + e.getMessage());
            err.println(usage());
            return 2;
        } catch (IOException e) {
            err.println("cantor: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private int dispatch(String command, Flags flags) throws IOException, InterruptedException {
        List<String> args = flags.positional();
        return switch (command) {
            case "submit" -> submit(args, flags);
            case "status" -> status(one(args, "status JOB_ID"));
            case "watch" -> new Watcher(client, out).watch(one(args, "watch JOB_ID"));
            case "download" -> download(one(args, "download JOB_ID [--output FILE]"), flags.get("output"));
            case "convert" -> convert(args, flags);
            case "cancel" -> cancel(one(args, "cancel JOB_ID"));
            case "keys" -> keys(args, flags);
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        };
    }

    private int submit(List<String> files, Flags flags) throws IOException, InterruptedException {
        String params = flags.get("params");
        if (params != null && params.startsWith("@")) {
            params = Files.readString(Path.of(params.substring(1)));
        }
        JsonNode job;
        if (flags.has("dataset")) {
            if (!files.isEmpty()) {
                throw new IllegalArgumentException("give recordings or --dataset, not both");
            }
            job = client.submitDataset(flags.get("dataset"), params);
        } else {
            List<Path> recordings = new ArrayList<>();
            for (String f : files) {
                Path p = Path.of(f);
                if (Files.isDirectory(p)) {
                    try (var listing = Files.list(p)) {
                        listing.filter(x -> x.toString().matches("(?i).*\\.(wav|flac)$")).sorted().forEach(recordings::add);
                    }
                } else {
                    recordings.add(p);
                }
            }
            if (recordings.isEmpty()) {
                throw new IllegalArgumentException("submit needs recordings (files or folders of .wav/.flac) or --dataset ID");
            }
            job = client.submit(recordings, params, flags.get("idempotency-key"));
        }
        out.println(json ? job.toPrettyString() : job.path("id").asText());
        if (flags.has("watch")) {
            return new Watcher(client, out).watch(job.path("id").asText());
        }
        return 0;
    }

    private int status(String id) throws IOException, InterruptedException {
        JsonNode job = client.job(id);
        if (json) {
            out.println(job.toPrettyString());
            return 0;
        }
        out.println(Watcher.summary(job));
        return 0;
    }

    /**
     * {@code convert MODEL_JOB_ID FILE}: submits a conversion, follows it and saves the WAV (unless
     * {@code --no-wait}); exit 0 once the file is saved.
     */
    private int convert(List<String> args, Flags flags) throws IOException, InterruptedException {
        if (args.size() != 2) {
            throw new IllegalArgumentException("usage: cantor convert MODEL_JOB_ID FILE [--transpose N] [--index-rate R] [--output FILE] [--no-wait]");
        }
        Path input = Path.of(args.get(1));
        Map<String, Object> params = new LinkedHashMap<>();
        if (flags.has("transpose")) {
            params.put("transpose", number(flags.get("transpose"), "--transpose"));
        }
        if (flags.has("index-rate")) {
            params.put("indexRate", number(flags.get("index-rate"), "--index-rate"));
        }
        JsonNode job = client.convert(args.get(0), input, params.isEmpty() ? null : Json.write(params), flags.get("idempotency-key"));
        String id = job.path("id").asText();
        out.println(json ? job.toPrettyString() : id);
        if (flags.has("no-wait")) {
            return 0;
        }
        int watched = new Watcher(client, out).watch(id);
        if (watched != 0) {
            return watched;
        }
        String name = input.getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        return download(id, flags.get("output") != null ? flags.get("output")
                : input.toAbsolutePath().resolveSibling(stem + "-converted.wav").toString());
    }

    private static double number(String value, String flag) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(flag + " needs a number");
        }
    }

    private int download(String id, String output) throws IOException, InterruptedException {
        Path target = Path.of(output != null ? output
                : "CONVERT".equals(client.job(id).path("kind").asText()) ? "converted-" + id + ".wav" : "model-" + id + ".zip");
        long bytes = client.download(id, target);
        out.println("saved " + target + " (" + bytes + " bytes)");
        return 0;
    }

    private int cancel(String id) throws IOException, InterruptedException {
        JsonNode job = client.cancel(id);
        out.println(job.path("id").asText() + " " + job.path("state").asText());
        return 0;
    }

    /** {@code keys create --tenant T --roles submit,read | keys list [--tenant T] | keys revoke ID} (admin). */
    private int keys(List<String> args, Flags flags) throws IOException, InterruptedException {
        String sub = args.isEmpty() ? "" : args.get(0);
        switch (sub) {
            case "create" -> {
                String tenant = flags.get("tenant");
                String roles = flags.get("roles");
                if (tenant == null || roles == null) {
                    throw new IllegalArgumentException("usage: cantor keys create --tenant T --roles submit,read");
                }
                JsonNode key = client.createKey(tenant, List.of(roles.split(",")));
                out.println(json ? key.toPrettyString() : key.path("key").asText());
            }
            case "list" -> {
                JsonNode keys = client.listKeys(flags.get("tenant"));
                if (json) {
                    out.println(keys.toPrettyString());
                } else {
                    keys.path("items").forEach(k -> out.println(k.path("id").asText() + "  " + k.path("tenant").asText()
                            + "  " + k.path("roles") + (k.has("revokedAt") ? "  revoked " + k.path("revokedAt").asText() : "")));
                }
            }
            case "revoke" -> {
                if (args.size() != 2) {
                    throw new IllegalArgumentException("usage: cantor keys revoke KEY_ID");
                }
                JsonNode key = client.revokeKey(args.get(1));
                out.println(key.path("id").asText() + " revoked");
            }
            default -> throw new IllegalArgumentException("usage: cantor keys create|list|revoke ...");
        }
        return 0;
    }

    private static String one(List<String> args, String usage) {
        if (args.size() != 1) {
            throw new IllegalArgumentException("usage: cantor " + usage);
        }
        return args.get(0);
    }

    static String usage() {
        return String.join("\n",
                "usage: cantor <command> [args] [--url URL] [--api-key KEY]",
                "  submit FILES|FOLDERS... [--params JSON|@file] [--idempotency-key K] [--watch]",
                "  submit --dataset ID [--params JSON]",
                "  status JOB_ID [--json]",
                "  watch JOB_ID            follow a job to its end (exit 0 if it succeeded)",
                "  download JOB_ID [--output FILE]   a model zip, or a conversion's WAV",
                "  convert MODEL_JOB_ID FILE [--transpose N] [--index-rate R] [--output FILE] [--no-wait]",
                "                          convert a recording with a trained model; waits and saves the WAV",
                "  cancel JOB_ID",
                "  keys create --tenant T --roles submit,read   a new API key (admin); the secret is printed once",
                "  keys list [--tenant T] | keys revoke KEY_ID");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
