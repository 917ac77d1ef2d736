import SkyProvision

/// A provisioner that knows how to reach its nodes (reference 5.1 `get_command_runners`).
/// Backends without it get `SSHRunnerFactory`'s default ssh runners.
package protocol CommandRunnerProvider: Sendable {
    /// One runner per node of `info`, head first.
    func commandRunners(for info: ClusterInfo) -> [any CommandRunner]
}

/// Default runners: ssh to each node's reachable IP.
package struct SSHRunnerFactory: Sendable {
    package var controlDirectory: String?
    package var knownHostsFiles: [String]
    package var hostKeyPolicy: SSHOptions.HostKeyPolicy
    /// Key used when a node names none.
    package var defaultIdentityFile: String?

    package init(
        controlDirectory: String?, knownHostsFiles: [String],
        hostKeyPolicy: SSHOptions.HostKeyPolicy, defaultIdentityFile: String?
    ) {
        self.controlDirectory = controlDirectory
        self.knownHostsFiles = knownHostsFiles
        self.hostKeyPolicy = hostKeyPolicy
        self.defaultIdentityFile = defaultIdentityFile
    }

    package func options(for instance: InstanceInfo, defaultUser: String?) -> SSHOptions {
        SSHOptions(
            host: instance.reachableIP, user: instance.sshUser ?? defaultUser,
            port: instance.sshPort, identityFile: instance.identityFile ?? defaultIdentityFile,
            knownHostsFiles: knownHostsFiles, hostKeyPolicy: hostKeyPolicy,
            controlDirectory: controlDirectory)
    }

    package func runners(for info: ClusterInfo) -> [any CommandRunner] {
        info.instances.map { instance in
            SSHRunner(
                options: options(for: instance, defaultUser: info.sshUser),
                nodeName: instance.nodeName ?? instance.reachableIP)
        }
    }
}
