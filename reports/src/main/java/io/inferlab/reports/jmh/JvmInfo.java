package io.inferlab.reports.jmh;

import java.util.List;

/** The JVM and JMH that produced a result, as JMH recorded them. */
public record JvmInfo(String jmhVersion, String jvm, String jdkVersion, String vmName, String vmVersion, List<String> jvmArgs) {
    public JvmInfo {
        jvmArgs = jvmArgs == null ? List.of() : List.copyOf(jvmArgs);
    }
}
