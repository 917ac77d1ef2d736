/// The synchronous libslurm calls, exposed for tools that drive them directly (the leak check
/// executable). Call them only inside `SlurmClient.performSync`, which serialises them.
package enum SlurmAPIProbe {
    package static func nodes() throws(SlurmError) -> [SlurmNode] { try SlurmAPI.loadNodes() }

    package static func partitions() throws(SlurmError) -> [SlurmPartition] {
        try SlurmAPI.loadPartitions()
    }

    package static func jobs() throws(SlurmError) -> [SlurmJob] { try SlurmAPI.loadJobs() }

    package static func jobs(userID: UInt32) throws(SlurmError) -> [SlurmJob] {
        try SlurmAPI.loadJobs(userID: userID)
    }

    package static func job(id: UInt32) throws(SlurmError) -> SlurmJob? {
        try SlurmAPI.loadJob(id: id)
    }

    package static func controlSettings() throws(SlurmError) -> SlurmControlSettings {
        try SlurmAPI.controlSettings()
    }

    package static func expand(_ expression: String) -> [String] {
        SlurmAPI.expandHostList(expression)
    }

    package static func submit(_ request: SlurmJobRequest) throws(SlurmError) -> UInt32 {
        try SlurmSubmit.submit(request)
    }

    package static func kill(_ id: UInt32) throws(SlurmError) { try SlurmAPI.killJob(id: id) }
}
