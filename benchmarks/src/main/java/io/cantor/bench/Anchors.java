package io.cantor.bench;

import java.util.List;

/**
 * Issue 8's targets and the published figures (anchors) and measured ceilings the results are read
 * against. Targets are tested in code (see {@link Figure#verdict()}); these are the words.
 */
final class Anchors {
    private Anchors() {
    }

    static final String SLURM = "Slurm: 500 simple batch jobs/s sustained (documented)";
    static final String JOBRUNR = "JobRunr OSS: 3,378 jobs/s (500,000 jobs on PostgreSQL)";
    static final String KUEUE = "Kueue: 15,000 workloads admitted in ~351 s (~43/s)";
    static final String JOBRUNR_2CORE = "JobRunr OSS 8.2 out of the box on a 2-core machine: 157 jobs/s end to end "
            + "(20,000 no-op jobs, in-memory), 76 jobs/s (5,000 jobs, embedded H2)";
    static final String VERTX_CEILING = "ceiling on a 2-core machine: bare Vert.x 5 route ~115,000 POST/s (wrk, 64 connections)";
    static final String HAZELCAST_1 = "ceiling on a 2-core machine: bare Hazelcast IMap ~60,000 EntryProcessor calls/s, one member";
    static final String HAZELCAST_3 = "ceiling on a 2-core machine: bare Hazelcast IMap ~15,000 EntryProcessor calls/s, "
            + "three members in one JVM";
    static final String QUALITY_BAR = "issue 4's bar (RvcQualityTest asserts it at tiny size)";

    /** Every anchor, for the list under the summary table. */
    static final List<String> ALL = List.of(SLURM, JOBRUNR, KUEUE, JOBRUNR_2CORE, VERTX_CEILING, HAZELCAST_1, HAZELCAST_3);

    static final String SUBMIT_1 = "Slurm 500/s; Kueue ~43/s; ceilings: Vert.x route ~115,000/s, Hazelcast ~60,000 EntryProcessor/s (1 member)";
    static final String SUBMIT_3 = "ceiling: Hazelcast ~15,000 EntryProcessor/s (3 members, one JVM)";
    static final String END_TO_END = "JobRunr OSS 3,378/s (PostgreSQL); on 2 cores JobRunr OSS 8.2: 157/s in-memory, 76/s H2";
    static final String CLAIMS = "ceiling: Hazelcast ~60,000 EntryProcessor/s (1 member)";
}
