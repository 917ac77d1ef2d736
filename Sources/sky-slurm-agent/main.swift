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
// stdin/stdout with `SlurmProvisioner` (libslurm) inside. Its `listen` method starts
// `sky-slurm-agent listen <socket>` (SlurmAgentListener), which serves the same protocol on a unix
// socket between commands; sky reaches it through a forward of its ssh ControlMaster.

let environment = ProcessInfo.processInfo.environment
let arguments = Array(CommandLine.arguments.dropFirst())
let server = PluginServer(
    name: "slurm", version: "1.0.0", capabilities: ["multiNode", "autostop"],
    methods: SlurmAgentMethods(environment: environment).table)
// `listen <socket> [idle seconds]` (the idle time is for tests; sky never passes it).
if (2...3).contains(arguments.count), arguments[0] == SlurmAgentWire.listenArgument {
    var listener = SlurmAgentListener(path: arguments[1], server: server)
    if arguments.count == 3 {
        guard let idle = Double(arguments[2]), idle > 0 else {
            PluginServer.log("listen: the idle time must be a positive number of seconds")
            exit(2)
        }
        listener.idleSeconds = idle
    }
    exit(listener.run())
}
guard arguments.first == SlurmAgentWire.serveArgument else {
    PluginServer.log(
        "sky-slurm-agent is started by sky on a Slurm login node (over ssh, from ~/.slurm/config); "
            + "it is not meant to be run by hand.")
    exit(2)
}
exit(await server.serve())
