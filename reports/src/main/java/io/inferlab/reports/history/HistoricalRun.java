package io.inferlab.reports.history;

import java.time.Instant;

import io.inferlab.reports.jmh.JmhRun;

/**
 * One stored run in time order.
 *
 * @param id     the run's path relative to the history directory, without {@code .json}
 * @param time   from the run metadata, or the file's modification time without it
 * @param commit the git commit from the metadata, null when unknown
 */
public record HistoricalRun(String id, Instant time, String commit, JmhRun run) {
    /** {@code id (abc1234)} for tables and charts. */
    public String label() {
        return commit == null || commit.isBlank() ? id : id + " (" + commit.substring(0, Math.min(7, commit.length())) + ")";
    }
}
