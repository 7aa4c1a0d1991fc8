import Foundation

/// The server processes a test starts. Each stops when its standard input closes (a server that ignores its input
/// runs under `MailServers/supervise.py`), so none outlives the test process, even one that crashes.
// Sendable: `running` changes only in `launch` and `stopAll`, which the owner calls while it does not share itself.
final class ServerProcesses: @unchecked Sendable {
    private var running: [(process: Process, input: Pipe)] = []

    /// Starts a server and returns once it has printed `marker` (which it prints once it listens). All it prints is
    /// handed to `sink` in order, and the rest as it comes, so a chatty server never blocks on a full pipe; an empty
    /// chunk says it has closed its output.
    func launch(_ executable: String, _ arguments: [String], readyWhen marker: String, onStandardError: Bool,
                sink: @escaping @Sendable (Data) -> Void = { _ in }) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let input = Pipe()
        process.standardInput = input
        if onStandardError { process.standardError = output } else { process.standardOutput = output }
        try process.run()
        running.append((process, input))
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains(marker) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                throw MailServers.ServerFailure(message: "\(executable) exited before it was ready: \(String(decoding: seen, as: UTF8.self))")
            }
            seen.append(chunk)
        }
        sink(seen)
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            while case let chunk = reader.availableData, !chunk.isEmpty { sink(chunk) }
            sink(Data())
        }
    }

    /// Closes each server's standard input, which stops it, and waits for it to exit.
    func stopAll() {
        for (process, input) in running {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
        running.removeAll()
    }
}
