/// One row of a cluster's job queue as `skylet queue -o json` prints it and `sky queue -o json`
/// shows it (reference 3.5). Times are epoch seconds.
public struct JobRecord: Codable, Sendable, Hashable {
    public var jobID: Int
    public var jobName: String?
    public var username: String
    public var userHash: String
    public var submittedAt: Double
    public var startAt: Double?
    public var endAt: Double?
    /// Human readable resources (`1x[CPU:1]`).
    public var resources: String
    public var status: JobStatus
    /// Log directory on the head node (`~/sky_logs/sky-<timestamp>`).
    public var logPath: String
    public var metadata: [String: String]

    public init(
        jobID: Int, jobName: String?, username: String, userHash: String, submittedAt: Double,
        startAt: Double?, endAt: Double?, resources: String, status: JobStatus, logPath: String,
        metadata: [String: String] = [:]
    ) {
        self.jobID = jobID
        self.jobName = jobName
        self.username = username
        self.userHash = userHash
        self.submittedAt = submittedAt
        self.startAt = startAt
        self.endAt = endAt
        self.resources = resources
        self.status = status
        self.logPath = logPath
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case jobName = "job_name"
        case username
        case userHash = "user_hash"
        case submittedAt = "submitted_at"
        case startAt = "start_at"
        case endAt = "end_at"
        case resources, status
        case logPath = "log_path"
        case metadata
    }

    /// Encodes every key, absent values as `null` (the shape of `sky queue -o json`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(jobID, forKey: .jobID)
        try c.encode(jobName, forKey: .jobName)
        try c.encode(username, forKey: .username)
        try c.encode(userHash, forKey: .userHash)
        try c.encode(submittedAt, forKey: .submittedAt)
        try c.encode(startAt, forKey: .startAt)
        try c.encode(endAt, forKey: .endAt)
        try c.encode(resources, forKey: .resources)
        try c.encode(status, forKey: .status)
        try c.encode(logPath, forKey: .logPath)
        try c.encode(metadata, forKey: .metadata)
    }
}
