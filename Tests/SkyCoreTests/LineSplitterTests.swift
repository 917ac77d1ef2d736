import SkyCore
import Testing

/// Lines as a terminal shows them: "\n" ends a line; with carriage returns, a lone "\r" ends
/// a progress bar's segment, delivered at once with its "\r".
struct LineSplitterTests {
    /// The lines `chunks` give, fed one after the other, then the end of the stream.
    static func lines(_ chunks: [String], carriageReturns: Bool = true) -> [String] {
        var splitter = LineSplitter(carriageReturns: carriageReturns)
        var out: [String] = []
        for chunk in chunks { splitter.feed(Array(chunk.utf8)) { out.append($0) } }
        splitter.finish { out.append($0) }
        return out
    }

    @Test func newlinesEndLinesAndTheRestComesAtTheEnd() {
        #expect(Self.lines(["a\nb", "c\n", "\nlast"]) == ["a", "bc", "", "last"])
    }

    @Test func aProgressBarsSegmentsComeAsTheyAreWritten() {
        // tqdm: each redraw starts with "\r"; the bar before it ends there.
        #expect(
            Self.lines(["\rstep 1", "\rstep 2", "\rstep 3\n"]) == [
                "step 1\r", "step 2\r", "step 3",
            ])
        // A bar that ends its redraws with "\r": delivered without waiting for the next write.
        var splitter = LineSplitter(carriageReturns: true)
        var out: [String] = []
        splitter.feed(Array("50%\r".utf8)) { out.append($0) }
        #expect(out == ["50%\r"])
    }

    @Test func crlfIsOneLineEnd() {
        #expect(Self.lines(["a\r\nb\r\n"]) == ["a", "b"])
        // Split across two chunks: a segment, then an empty line (shown the same way).
        #expect(Self.lines(["a\r", "\nb\n"]) == ["a\r", "", "b"])
    }

    @Test func withoutCarriageReturnsTheyAreText() {
        #expect(Self.lines(["\rstep 1\rstep 2\n"], carriageReturns: false) == ["\rstep 1\rstep 2"])
    }

    @Test func lineEndsForWritingBack() {
        #expect(LineSplitter.terminated("step 1\r") == "step 1\r")
        #expect(LineSplitter.terminated("done") == "done\n")
    }
}
