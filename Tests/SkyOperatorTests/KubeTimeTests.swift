import Foundation
import Testing

@testable import SkyKubeAPI

/// metav1.Time / MicroTime, formatted and parsed without a date formatter.
@Suite(.timeLimit(.minutes(1)))
struct KubeTimeTests {
    @Test func formatsUTCSecondsAndMicroseconds() {
        let date = Date(timeIntervalSince1970: 1_795_723_663.25)  // 2026-11-26T20:07:43.25Z
        #expect(KubeTime.format(date) == "2026-11-26T20:07:43Z")
        #expect(KubeTime.micro(date) == "2026-11-26T20:07:43.250000Z")
        #expect(KubeTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }

    @Test func parsesWhatTheAPIServerWrites() throws {
        #expect(
            KubeTime.parse("2026-11-26T20:07:43Z") == Date(timeIntervalSince1970: 1_795_723_663))
        let micro = try #require(KubeTime.parse("2026-11-26T20:07:43.250000Z"))
        #expect(abs(micro.timeIntervalSince1970 - 1_795_723_663.25) < 1e-6)
        #expect(
            KubeTime.parse("2026-11-26T22:07:43+02:00")
                == Date(timeIntervalSince1970: 1_795_723_663))
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        #expect(KubeTime.parse(KubeTime.format(now)) == now)
        for bad in [
            "", "2026-11-26", "2026-13-26T16:47:43Z", "2026-11-26T20:07:43",
            "2026-11-26T20:07:43.Z", "2026-11-26 16:47:43Z",
        ] {
            #expect(KubeTime.parse(bad) == nil, "\(bad)")
        }
    }
}
