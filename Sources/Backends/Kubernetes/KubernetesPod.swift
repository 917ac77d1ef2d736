import Foundation
import SkyProvision

/// The fields of a pod (from `kubectl get pods -o json`) the backend reads.
package struct KubernetesPod: Sendable, Hashable {
    package var name: String
    package var labels: [String: String]
    package var phase: String
    package var podIP: String?
    package var nodeName: String?
    package var deleting: Bool
    /// `PodScheduled=False` reason and message, when present.
    package var unschedulableReason: String?
    package var schedulerMessage: String?
    /// A container waiting reason (`ErrImagePull`, `ImagePullBackOff`, ...) and its message.
    package var waitingReason: String?
    package var waitingMessage: String?
    /// Some container of the pod runs or ran (running, terminated, or restarted).
    package var startedAContainer: Bool

    package init(json: [String: Any]) {
        let metadata = json["metadata"] as? [String: Any] ?? [:]
        let spec = json["spec"] as? [String: Any] ?? [:]
        let status = json["status"] as? [String: Any] ?? [:]
        name = metadata["name"] as? String ?? ""
        labels = metadata["labels"] as? [String: String] ?? [:]
        deleting = metadata["deletionTimestamp"] != nil
        phase = status["phase"] as? String ?? "Unknown"
        podIP = status["podIP"] as? String
        nodeName = spec["nodeName"] as? String
        let conditions = status["conditions"] as? [[String: Any]] ?? []
        if let scheduled = conditions.first(where: { $0["type"] as? String == "PodScheduled" }),
            scheduled["status"] as? String == "False"
        {
            unschedulableReason = scheduled["reason"] as? String
            schedulerMessage = scheduled["message"] as? String
        }
        let containers =
            (status["initContainerStatuses"] as? [[String: Any]] ?? [])
            + (status["containerStatuses"] as? [[String: Any]] ?? [])
        startedAContainer = false
        for container in containers {
            let state = container["state"] as? [String: Any] ?? [:]
            let last = container["lastState"] as? [String: Any] ?? [:]
            if let waiting = state["waiting"] as? [String: Any] {
                waitingReason = waiting["reason"] as? String
                waitingMessage = waiting["message"] as? String
            }
            if state["running"] != nil || state["terminated"] != nil || last["terminated"] != nil
                || (container["restartCount"] as? Int ?? 0) > 0
            {
                startedAContainer = true
            }
        }
    }

    /// Being deleted, and nothing of it ever ran (unscheduled, or its image never pulled): no
    /// process on a node to stop gracefully, so it can go at once. A kubelet busy pulling the
    /// image keeps such a pod `Terminating` for half a minute otherwise.
    package var isDeletedBeforeItRan: Bool { deleting && !startedAContainer }

    package var isHead: Bool { labels["ray-node-type"] == "head" }

    /// Worker index from the name (`-worker3` → 3); the head is 0.
    package var index: Int {
        if isHead { return 0 }
        guard let range = name.range(of: "-worker", options: .backwards) else { return Int.max }
        return Int(name[range.upperBound...]) ?? Int.max
    }

    /// Reference 3.1: Pending → INIT, Running → UP, Failed → INIT (abnormal);
    /// Succeeded / Unknown / being deleted → gone (nil).
    package var instanceStatus: InstanceStatus? {
        if deleting { return nil }
        switch phase {
        case "Pending", "Failed": return .initializing
        case "Running": return .up
        default: return nil
        }
    }

    /// The scheduler said no node fits (resources or affinity): retrying here is pointless.
    package var isUnfittable: Bool {
        guard unschedulableReason == "Unschedulable", let message = schedulerMessage else {
            return false
        }
        return message.contains("Insufficient") || message.contains("didn't match")
            || message.contains("did not match")
    }

    /// The image cannot be pulled (the same everywhere: a config error, not capacity).
    package var imageFailure: Bool {
        ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]
            .contains(waitingReason ?? "")
    }
}
