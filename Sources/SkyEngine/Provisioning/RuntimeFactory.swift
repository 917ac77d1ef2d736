extension SkyEngine {
    /// The on-node runtime used by launch / start / autostop.
    func makeRuntime() throws -> any ClusterRuntime {
        throw EngineError.runtime(
            cluster: "-", reason: "the skylet client is not part of this build yet")
    }
}
