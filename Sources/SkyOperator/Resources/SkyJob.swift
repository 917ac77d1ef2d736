import SkyKubeAPI

/// `skyjobs.sky.dev`: a task run as a job on a SkyCluster (named, or created and owned).
package struct SkyJob: KubeResource {
    package static let resourceType = ResourceType(
        group: SkyGroup.group, version: SkyGroup.version, kind: "SkyJob", plural: "skyjobs")

    package var apiVersion: String? = SkyGroup.apiVersion
    package var kind: String? = "SkyJob"
    package var metadata: ObjectMeta
    package var spec: Spec
    package var status: Status?

    package struct Spec: Codable, Sendable, Hashable {
        package var cluster: String?
        package var task: KubeJSON?
        package var envFrom: [EnvFromSource]?

        package init(cluster: String?, task: KubeJSON?, envFrom: [EnvFromSource]? = nil) {
            self.cluster = cluster
            self.task = task
            self.envFrom = envFrom
        }
    }

    package struct Status: Codable, Sendable, Hashable {
        package var observedGeneration: Int?
        /// Pending, Launching, Running, Succeeded, Failed, Cancelled.
        package var phase: String?
        package var conditions: [Condition]?
        package var clusterName: String?
        package var jobID: Int?
        package var exitCode: Int?
        package var logs: String?
        package var startTime: String?
        package var completionTime: String?
        package var message: String?

        package init() {}
    }

    package init(metadata: ObjectMeta, spec: Spec) {
        self.metadata = metadata
        self.spec = spec
    }

    /// The SkyCluster the job runs on: `spec.cluster`, else the one it owns (`<name>-cluster`).
    package var clusterResourceName: String { spec.cluster ?? "\(name)-cluster" }

    package var isFinished: Bool {
        [Phase.succeeded, Phase.failed, Phase.cancelled].contains(status?.phase ?? "")
    }
}

extension SkyJob {
    package enum Phase {
        package static let pending = "Pending"
        package static let launching = "Launching"
        package static let running = "Running"
        package static let succeeded = "Succeeded"
        package static let failed = "Failed"
        package static let cancelled = "Cancelled"
    }
}
