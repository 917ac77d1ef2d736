import Foundation
import SkyProvision
import SkyRuntime

/// SSH inside the cluster: the head's skylet reaches the workers over ssh to their pod IPs
/// (the engine's `.ssh` node endpoints), and `ssh <cluster>` reaches the head through a
/// port-forward. Once the pods run, `sshd` is started in each one by exec, and each pod's
/// host keys are read by exec (through the API server, so they are authentic) into a
/// known_hosts file per cluster: no host key is ever accepted blindly.
extension KubernetesProvisioner {
    /// Starts sshd unless it runs (generating host keys if the image has none) and prints
    /// the host public keys; prints `SKY_NO_SSHD` when the image has no sshd.
    static let sshdScript = """
        sshd=$(command -v sshd || echo /usr/sbin/sshd)
        if [ ! -x "$sshd" ]; then echo SKY_NO_SSHD; exit 0; fi
        mkdir -p /run/sshd /root/.ssh && chmod 700 /root/.ssh
        ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 || ssh-keygen -A >/dev/null 2>&1
        pid=$(cat /run/sshd.pid 2>/dev/null)
        if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
          "$sshd" -o PasswordAuthentication=no -o PermitRootLogin=prohibit-password || exit 1
        fi
        cat /etc/ssh/ssh_host_*_key.pub
        """

    /// The known_hosts file of a cluster (nil without a state directory).
    package func knownHostsFile(clusterNameOnCloud: String) -> String? {
        stateDirectory.map { "\($0)/known_hosts/\(clusterNameOnCloud)" }
    }

    /// Starts sshd in every pod and records their host keys under their pod IP and pod name.
    /// A multi-pod cluster needs sshd in its image (the head reaches the workers over ssh).
    func prepareAccess(_ k: Kubectl, pods: [KubernetesPod], cluster: ClusterLocator)
        async throws(ProvisionError)
    {
        let results: [(KubernetesPod, CommandResult?)] = await withTaskGroup(
            of: (KubernetesPod, CommandResult?).self
        ) { group in
            for pod in pods {
                group.addTask {
                    let runner = KubectlExecRunner(pod: pod.name, kubectl: k)
                    let result = try? await runner.run(
                        ["/bin/sh", "-c", Self.sshdScript], stdin: nil, environment: [:])
                    return (pod, result)
                }
            }
            var out: [(KubernetesPod, CommandResult?)] = []
            for await item in group { out.append(item) }
            return out
        }
        var lines: [String] = []
        for (pod, result) in results.sorted(by: { $0.0.index < $1.0.index }) {
            guard let result, result.exitCode == 0 else {
                throw .internal(
                    "Starting sshd in pod \(pod.name) failed: "
                        + (result?.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                            ?? "kubectl exec did not run"))
            }
            if result.stdout.contains("SKY_NO_SSHD") {
                if pods.count > 1 {
                    throw .invalidConfig(
                        "The image of pod \(pod.name) has no sshd; a multi-node Kubernetes cluster "
                            + "needs openssh-server in its image (the head reaches the workers over ssh)."
                    )
                }
                continue
            }
            for key in result.stdout.split(separator: "\n")
            where key.hasPrefix("ssh-") || key.hasPrefix("ecdsa-") {
                let parts = key.split(separator: " ")
                guard parts.count >= 2 else { continue }
                let keyText = "\(parts[0]) \(parts[1])"
                if let ip = pod.podIP { lines.append("\(ip) \(keyText)") }
                lines.append("\(pod.name) \(keyText)")
            }
        }
        guard let path = knownHostsFile(clusterNameOnCloud: cluster.clusterNameOnCloud) else {
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try (lines.joined(separator: "\n") + "\n").write(
                toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .internal("Cannot write the pods' host keys to \(path): \(error)")
        }
    }
}
