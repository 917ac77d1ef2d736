import Foundation
import SkyCore
import SkyKubernetes
import SkyProvision
import SkyRuntime

/// `ssh <cluster>` support, as SkyPilot does it: one generated file per cluster in
/// `$SKY_HOME/generated/ssh/<cluster>` and a single `Include` line at the top of
/// `~/.ssh/config`, added once.
struct SSHConfigInclude {
    let skyHome: String
    let userHome: String

    var directory: String { skyHome + "/generated/ssh" }
    var includeLine: String { "Include \(directory)/*" }
    var userConfig: String { userHome + "/.ssh/config" }

    /// Writes the cluster's entries (head = `<cluster>`, workers = `<cluster>-worker<i>`).
    func write(cluster: String, nodes: [SSHOptions]) throws {
        guard !nodes.isEmpty else { return }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        var text = "# Added by Sky for cluster '\(cluster)'; removed by 'sky down \(cluster)'.\n"
        for (index, node) in nodes.enumerated() {
            let alias = index == 0 ? cluster : "\(cluster)-worker\(index)"
            text += "Host \(alias)\n  HostName \(node.host)\n  Port \(node.port)\n"
            if let user = node.user { text += "  User \(user)\n" }
            if let key = node.identityFile {
                text += "  IdentityFile \(key)\n  IdentitiesOnly yes\n"
            }
            if let known = node.knownHostsFiles.first { text += "  UserKnownHostsFile \(known)\n" }
            text +=
                "  StrictHostKeyChecking \(node.hostKeyPolicy == .strict ? "yes" : "accept-new")\n"
            if let jump = node.proxyJump { text += "  ProxyJump \(jump)\n" }
            text += "\n"
        }
        try AtomicFile.write(text, to: directory + "/" + cluster)
        try ensureInclude()
    }

    /// `ssh <cluster>` into Kubernetes pods: each entry's ProxyCommand runs
    /// `kubectl port-forward pod/<pod> :22` (through the API server) and relays stdin/stdout to
    /// the forwarded port; the host key is the pod's own (read by exec at provisioning, kept in
    /// the cluster's known_hosts file under the pod name) and the login key is the cluster key,
    /// authorized on the head here. Does nothing for other backends.
    func writeKubernetes(cluster: String, info: ClusterInfo, environment: [String: String])
        async throws
    {
        guard info.provider == KubernetesProvisioner.backendName,
            let knownHosts = info.providerConfig["knownHostsFile"]
        else { return }
        let key = ClusterKey(skyHome: skyHome)
        let publicKey = try await key.ensure()
        let kubectl = Kubectl(
            context: info.providerConfig["context"], namespace: info.providerConfig["namespace"],
            environment: environment)
        if let head = info.head {
            _ = try await KubectlExecRunner(pod: head.instanceID, kubectl: kubectl).run(
                ["sh", "-c", ClusterKey.authorizeScript, "sky-node-access", publicKey],
                stdin: nil, environment: [:])
        }
        let proxy = try writeHelper(Self.proxyScript, name: "kubernetes-ssh-proxy.sh")
        try writeProxied(
            cluster: cluster,
            nodes: info.instances.map { node in
                var command = [proxy, kubectl.binary, environment["KUBECONFIG"] ?? ""]
                command += [kubectl.context ?? "", kubectl.namespace ?? "", node.instanceID]
                return ProxiedNode(
                    hostName: node.instanceID, user: "root", hostKeyAlias: node.instanceID,
                    proxyCommand: command)
            }, knownHosts: knownHosts)
    }

    /// One node reached through a ProxyCommand, with the cluster key and a pinned host key.
    struct ProxiedNode {
        let hostName: String
        let user: String
        let hostKeyAlias: String
        let proxyCommand: [String]
    }

    /// Writes the cluster's entries for nodes reached through a ProxyCommand (head =
    /// `<cluster>`, workers = `<cluster>-worker<i>`), logging in with the cluster key.
    func writeProxied(cluster: String, nodes: [ProxiedNode], knownHosts: String) throws {
        let key = ClusterKey(skyHome: skyHome).privateKeyPath
        var text = "# Added by Sky for cluster '\(cluster)'; removed by 'sky down \(cluster)'.\n"
        for (index, node) in nodes.enumerated() {
            let alias = index == 0 ? cluster : "\(cluster)-worker\(index)"
            text += "Host \(alias)\n  HostName \(node.hostName)\n  User \(node.user)\n"
            text += "  IdentityFile \(key)\n  IdentitiesOnly yes\n"
            text += "  UserKnownHostsFile \(knownHosts)\n  HostKeyAlias \(node.hostKeyAlias)\n"
            text += "  StrictHostKeyChecking yes\n"
            text += "  ProxyCommand \(ShellQuote.join(node.proxyCommand))\n\n"
        }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        try AtomicFile.write(text, to: directory + "/" + cluster)
        try ensureInclude()
    }

    /// The ProxyCommand helper: `SCRIPT KUBECTL KUBECONFIG CONTEXT NAMESPACE POD`.
    static let proxyScript = #"""
        #!/bin/bash
        # ssh ProxyCommand of the sky Kubernetes backend: port-forward to the pod's sshd through
        # the API server, then relay stdin/stdout to the forwarded local port.
        kubectl="$1"; [ -n "$2" ] && export KUBECONFIG="$2"; ctx="$3"; ns="$4"; pod="$5"
        tmp=$(mktemp -d); trap 'kill $pf $relay 2>/dev/null; rm -rf "$tmp"' EXIT
        flags=(); [ -n "$ctx" ] && flags+=(--context "$ctx"); [ -n "$ns" ] && flags+=(--namespace "$ns")
        "$kubectl" "${flags[@]}" port-forward "pod/$pod" :22 >"$tmp/out" 2>"$tmp/err" </dev/null &
        pf=$!
        port=
        for _ in $(seq 200); do
          port=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$tmp/out" | head -n 1)
          [ -n "$port" ] && break
          kill -0 "$pf" 2>/dev/null || { cat "$tmp/err" >&2; exit 1; }
          sleep 0.05
        done
        [ -n "$port" ] || { echo "kubectl port-forward to $pod did not start" >&2; exit 1; }
        exec 3<>"/dev/tcp/127.0.0.1/$port"
        cat <&3 & relay=$!
        cat >&3
        wait "$relay"

        """#

    /// Writes a ProxyCommand helper (0700) beside the generated ssh entries, unless it is
    /// there already; returns its path.
    func writeHelper(_ script: String, name: String) throws -> String {
        let path = skyHome + "/generated/" + name
        try FileManager.default.createDirectory(
            atPath: skyHome + "/generated", withIntermediateDirectories: true)
        if (try? String(contentsOfFile: path, encoding: .utf8)) != script {
            try AtomicFile.write(script, to: path, permissions: 0o700)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        return path
    }

    func remove(cluster: String) {
        try? FileManager.default.removeItem(atPath: directory + "/" + cluster)
        try? FileManager.default.removeItem(atPath: slurmKnownHostsFile(cluster: cluster))
    }

    /// Adds the Include line at the top of `~/.ssh/config` unless it is there.
    func ensureInclude() throws {
        let sshDir = userHome + "/.ssh"
        try FileManager.default.createDirectory(
            atPath: sshDir, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let existing = (try? String(contentsOfFile: userConfig, encoding: .utf8)) ?? ""
        if existing.split(separator: "\n").contains(where: { $0 == includeLine }) { return }
        let updated = "# Added by Sky: ssh to clusters by name.\n\(includeLine)\n\n" + existing
        try updated.write(toFile: userConfig, atomically: true, encoding: .utf8)
        try? FileManager.default.setAttributes(
            [.posixPermissions: 0o600], ofItemAtPath: userConfig)
    }
}
