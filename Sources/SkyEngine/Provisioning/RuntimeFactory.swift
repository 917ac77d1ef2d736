import SkyCore
import SkyProvision
import SkyRuntime

extension SkyEngine {
    /// The on-node runtime used by launch / start / autostop (the skylet).
    func makeRuntime(task: Task? = nil) throws -> any ClusterRuntime {
        SkyletRuntime(engineEnvironment: environment, task: task)
    }

    /// Best effort before terminating: the head's skylet cancels every job and stops.
    func stopRuntime(_ provisioner: any Provisioner, info: ClusterInfo, backends: EngineBackends)
        async
    {
        guard let head = backends.runners(provisioner, info: info).first else { return }
        try? await SkyletClient(runner: head).teardown()
    }
}
