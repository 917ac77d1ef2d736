import Foundation
import SkyCore

/// The environment a job's setup and run see on each node (reference section 2).
struct JobEnvironment: Sendable {
    let spec: JobSpec
    let cluster: ClusterSpec
    let jobID: Int
    let runTimestamp: String

    /// `sky-<timestamp>_<cluster>_<job id>` (the run timestamp already starts with `sky-`).
    var taskID: String { "\(runTimestamp)_\(cluster.clusterName)_\(jobID)" }

    /// `{"cluster_name": ..., "cloud": ..., "region": ..., "zone": ...}` as Python's json.dumps.
    var clusterInfo: String {
        func q(_ s: String?) -> String {
            guard let s else { return "null" }
            let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
        }
        return "{\"cluster_name\": \(q(cluster.clusterName)), \"cloud\": \(q(cluster.cloud)), "
            + "\"region\": \(q(cluster.region)), \"zone\": \(q(cluster.zone))}"
    }

    private var gpusPerNode: String { String(Int(spec.gpusPerNode.rounded(.up))) }

    private var common: [(String, String)] {
        spec.envs.compactMap(Self.pair) + spec.secrets.compactMap(Self.pair) + [
            ("SKYPILOT_TASK_ID", taskID),
            ("SKYPILOT_CLUSTER_INFO", clusterInfo),
            ("SKYPILOT_USER", spec.user),
        ]
    }

    static func pair(_ kv: [String]) -> (String, String)? {
        guard kv.count == 2 else { return nil }
        return (kv[0], kv[1])
    }

    /// Setup on cluster node `rank` (every node of the cluster runs setup).
    func setup(rank: Int) -> [(String, String)] {
        common + [
            ("SKYPILOT_SETUP_NODE_RANK", String(rank)),
            ("SKYPILOT_SETUP_NODE_IPS", cluster.nodes.map(\.ip).joined(separator: "\n")),
            ("SKYPILOT_SETUP_NUM_GPUS_PER_NODE", gpusPerNode),
        ]
    }

    /// Run on task node `rank` (ranks 0..<numNodes), with the GPUs the job got there.
    func run(rank: Int, gpus: [Int]) -> [(String, String)] {
        var env =
            common + [
                ("SKYPILOT_NODE_RANK", String(rank)),
                (
                    "SKYPILOT_NODE_IPS",
                    cluster.nodes.prefix(spec.numNodes).map(\.ip).joined(separator: "\n")
                ),
                ("SKYPILOT_NUM_NODES", String(spec.numNodes)),
                ("SKYPILOT_NUM_GPUS_PER_NODE", gpusPerNode),
            ]
        if !gpus.isEmpty {
            env.append(("CUDA_VISIBLE_DEVICES", gpus.map(String.init).joined(separator: ",")))
        }
        return env
    }
}
