import Foundation
import SkyCore

/// Decides when a cluster has been idle long enough to autostop. Idle = no unfinished job
/// (and, with `wait_for: jobs_and_ssh`, no interactive ssh session of the node user) for
/// `idleMinutes` minutes; with `wait_for: none` the clock runs regardless of jobs.
struct AutostopMonitor {
    /// Seconds per "minute" (`SKYLET_MINUTE_SECONDS`, default 60; tests shrink it).
    let minuteSeconds: Double
    private var lastActive: Date
    private var config: ClusterSpec.AutostopSpec?

    init(minuteSeconds: Double, now: Date = Date()) {
        self.minuteSeconds = minuteSeconds
        self.lastActive = now
    }

    /// Records one observation; returns the autostop setting when it must fire now.
    mutating func check(
        autostop: ClusterSpec.AutostopSpec?, busyWithJobs: Bool, sshSessions: Int,
        lastJobEnd: Date?, now: Date = Date()
    ) -> ClusterSpec.AutostopSpec? {
        if autostop != config {
            config = autostop
            lastActive = now
        }
        guard let autostop, autostop.idleMinutes >= 0 else { return nil }
        let busy: Bool
        switch autostop.waitFor {
        case "none": busy = false
        case "jobs": busy = busyWithJobs
        default: busy = busyWithJobs || sshSessions > 0
        }
        if busy { lastActive = now }
        if let lastJobEnd, lastJobEnd > lastActive { lastActive = lastJobEnd }
        let idle = now.timeIntervalSince(lastActive)
        return idle >= Double(autostop.idleMinutes) * minuteSeconds ? autostop : nil
    }
}
