package io.cantor.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Set;

import static io.cantor.model.JobState.ASSIGNED;
import static io.cantor.model.JobState.CANCELLED;
import static io.cantor.model.JobState.FAILED;
import static io.cantor.model.JobState.QUEUED;
import static io.cantor.model.JobState.RUNNING;
import static io.cantor.model.JobState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobStateTransitionsTest {

    @Test
    void theTableIsExactlyTheDesignedOne() {
        Set<String> allowed = Set.of("QUEUED>ASSIGNED", "QUEUED>CANCELLED", "QUEUED>FAILED",
                "ASSIGNED>RUNNING", "ASSIGNED>QUEUED", "ASSIGNED>SUCCEEDED", "ASSIGNED>FAILED", "ASSIGNED>CANCELLED",
                "RUNNING>QUEUED", "RUNNING>SUCCEEDED", "RUNNING>FAILED", "RUNNING>CANCELLED");
        for (JobState from : JobState.values()) {
            for (JobState to : JobState.values()) {
                assertEquals(allowed.contains(from + ">" + to), JobStateTransitions.isAllowed(from, to), from + " -> " + to);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = JobState.class, names = {"SUCCEEDED", "FAILED", "CANCELLED"})
    void terminalStatesGoNowhere(JobState terminal) {
        assertTrue(terminal.isTerminal());
        for (JobState to : JobState.values()) {
            assertFalse(JobStateTransitions.isAllowed(terminal, to));
        }
    }

    @Test
    void statesAnswerTheirOwnQuestions() {
        assertEquals(EnumSet.of(ASSIGNED, RUNNING), EnumSet.copyOf(
                java.util.Arrays.stream(JobState.values()).filter(JobState::holdsLease).toList()));
        assertEquals(EnumSet.of(ASSIGNED, RUNNING), EnumSet.copyOf(
                java.util.Arrays.stream(JobState.values()).filter(JobState::isRetriable).toList()));
        assertFalse(QUEUED.isTerminal());
        assertTrue(SUCCEEDED.isTerminal() && FAILED.isTerminal() && CANCELLED.isTerminal());
    }

    @Test
    void requireThrowsTheSpecificException() {
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                () -> JobStateTransitions.require("j1", SUCCEEDED, RUNNING));
        assertEquals(SUCCEEDED, e.from());
        assertEquals(RUNNING, e.to());
    }
}
