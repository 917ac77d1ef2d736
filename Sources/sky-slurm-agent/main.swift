import Foundation
import SkyPluginKit
import SkySlurm

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// sky-slurm-agent: the Slurm backend on a login node, for a `sky` that runs elsewhere.
//
// `sky-slurm-agent serve` (on the login node: `sky` copies it there and starts it over ssh, the
// ssh being its plugin host's child) serves the plugin protocol (plugins/PROTOCOL.md) on
// stdin/stdout with `SlurmProvisioner` (libslurm) inside.

let environment = ProcessInfo.processInfo.environment
guard CommandLine.arguments.dropFirst().first == SlurmAgentWire.serveArgument else {
    PluginServer.log(
        "sky-slurm-agent is started by sky on a Slurm login node (over ssh, from ~/.slurm/config); "
            + "it is not meant to be run by hand.")
    exit(2)
}
let server = PluginServer(
    name: "slurm", version: "1.0.0", capabilities: ["multiNode", "autostop"],
    methods: SlurmAgentMethods(environment: environment).table)
exit(await server.serve())
