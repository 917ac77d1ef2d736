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
// - `sky-slurm-agent serve` (on the login node, started by `sky` over ssh): serves the plugin
//   protocol (plugins/PROTOCOL.md) on stdin/stdout with `SlurmProvisioner` (libslurm) inside.
// - On the machine that runs `sky`, with `SKY_SLURM_AGENT_EXEC` set (a JSON array): runs that
//   command (the ssh that starts the agent on the login node) on its own stdin/stdout, so the
//   plugin host, which starts a child without arguments, talks to the remote agent.

let environment = ProcessInfo.processInfo.environment
if let relay = environment[SlurmAgentWire.relayKey] {
    exit(AgentRelay.run(relay))
}
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
