package dev.crank.core;

/** What {@code GET /health} reports: 200 only while {@link #HEALTHY}. */
public enum HealthState {
    STARTING,
    HEALTHY,
    DRAINING,
    STOPPED
}
