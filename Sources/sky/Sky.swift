import ArgumentParser
import SkyProvision

@main
struct Sky: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "sky",
        abstract: "Sky: run AI workloads on clouds, Kubernetes, Slurm, SSH pools and this machine.",
        version: version,
        subcommands: [
            Launch.self, Exec.self, Status.self, Queue.self, Logs.self, Cancel.self,
            Stop.self, Start.self, Down.self, Autostop.self,
            Check.self, Gpus.self, ShowGpus.self, CostReport.self, Catalog.self,
            Storage.self, Volumes.self,
            Jobs.self, Serve.self, Api.self, Ssh.self, Plugins.self,
            Validate.self, Workspace.self, Dashboard.self, DebugDump.self, Local.self,
        ])

    static func main() async {
        InterruptHandler.shared.enable()
        await ExitCodes.main(Array(CommandLine.arguments.dropFirst()))
    }
}
