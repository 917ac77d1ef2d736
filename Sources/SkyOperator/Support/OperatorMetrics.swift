import Foundation
import Synchronization

/// Counters and timings of the operator, rendered as Prometheus text on `/metrics`.
package final class OperatorMetrics: Sendable {
    private struct State {
        var reconciles: [String: Int] = [:]
        var errors: [String: Int] = [:]
        var reconcileSeconds: [String: Double] = [:]
        var launches = 0
        var launchFailures = 0
        var teardowns = 0
        var jobsSubmitted = 0
        var isLeader = false
        var queueDepth: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let started = Date()

    package init() {}

    func reconciled(_ kind: String, seconds: Double, failed: Bool) {
        state.withLock {
            $0.reconciles[kind, default: 0] += 1
            $0.reconcileSeconds[kind, default: 0] += seconds
            if failed { $0.errors[kind, default: 0] += 1 }
        }
    }

    func launched(ok: Bool) {
        state.withLock { state in
            if ok {
                state.launches += 1
            } else {
                state.launchFailures += 1
            }
        }
    }
    func tornDown() { state.withLock { $0.teardowns += 1 } }
    func jobSubmitted() { state.withLock { $0.jobsSubmitted += 1 } }
    func setLeader(_ leader: Bool) { state.withLock { $0.isLeader = leader } }
    func setQueueDepth(_ kind: String, _ depth: Int) {
        state.withLock { $0.queueDepth[kind] = depth }
    }

    package var isLeader: Bool { state.withLock { $0.isLeader } }
    package func reconcileCount(_ kind: String) -> Int {
        state.withLock { $0.reconciles[kind, default: 0] }
    }

    /// Prometheus text exposition format 0.0.4.
    package func render() -> String {
        let s = state.withLock { $0 }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { out += "\(name)\(labels) \(value)\n" }
        }
        func byKind(_ values: [String: Int]) -> [(String, String)] {
            values.keys.sorted().map { ("{kind=\"\($0)\"}", String(values[$0] ?? 0)) }
        }
        family(
            "sky_operator_reconcile_total", "counter", "Reconciles run, by kind.",
            byKind(s.reconciles))
        family(
            "sky_operator_reconcile_errors_total", "counter",
            "Reconciles that failed and were requeued.", byKind(s.errors))
        family(
            "sky_operator_reconcile_seconds_total", "counter",
            "Wall time spent reconciling, by kind.",
            s.reconcileSeconds.keys.sorted().map {
                ("{kind=\"\($0)\"}", String(format: "%.6f", s.reconcileSeconds[$0] ?? 0))
            })
        family(
            "sky_operator_workqueue_depth", "gauge", "Keys waiting in the work queue.",
            byKind(s.queueDepth))
        family(
            "sky_operator_cluster_launches_total", "counter", "Cluster launches that succeeded.",
            [("", String(s.launches))])
        family(
            "sky_operator_cluster_launch_failures_total", "counter",
            "Cluster launches that failed.", [("", String(s.launchFailures))])
        family(
            "sky_operator_cluster_teardowns_total", "counter",
            "Clusters torn down by the finalizer.", [("", String(s.teardowns))])
        family(
            "sky_operator_jobs_submitted_total", "counter", "Jobs submitted to clusters.",
            [("", String(s.jobsSubmitted))])
        family(
            "sky_operator_leader", "gauge", "1 when this replica holds the leader lease.",
            [("", s.isLeader ? "1" : "0")])
        family(
            "sky_operator_uptime_seconds", "gauge", "Seconds since the operator started.",
            [("", String(format: "%.0f", Date().timeIntervalSince(started)))])
        return out
    }
}
