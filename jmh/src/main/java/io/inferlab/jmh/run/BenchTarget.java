package io.inferlab.jmh.run;

import io.inferlab.api.AccelerationType;

/** One backend to benchmark: its acceleration type and provider id (both become JMH parameters). */
public record BenchTarget(AccelerationType acceleration, String backend) {
    @Override
    public String toString() {
        return acceleration + "/" + backend;
    }
}
