import SkyState

/// `sky cost-report`: one row per cluster lifetime, from the usage intervals in the state.
extension SkyEngine {
    package func costReport(days: Int = 30, allUsers: Bool = false) async throws -> [CostReportRow] {
        try await SQLiteStateStore(home: home).costReport(
            days: days, userHash: allUsers ? nil : user.hash)
    }
}
