import Foundation
import LemlistEmulator
import Logging
import MailboxOnboard
import Testing
import OnboardInput
import TestSupport

/// The built `mailbox-onboard` executable, next to the test bundle.
func executableURL() throws -> URL {
    let candidates = [
        Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/debug").standardized,
    ]
    for folder in candidates {
        let url = folder.appendingPathComponent("mailbox-onboard")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    throw CocoaError(.fileNoSuchFile)
}

/// One run of the built executable as a child process.
final class Child {
    let process = Process()
    private let outFile: URL
    private let errFile: URL

    init(_ arguments: [String], environment: [String: String] = [:], in workspace: Scratch) throws {
        process.executableURL = try executableURL()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LEMLIST_API_KEY"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = workspace.url
        let id = UUID().uuidString
        outFile = workspace.url.appendingPathComponent("out-\(id)")
        errFile = workspace.url.appendingPathComponent("err-\(id)")
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: errFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the process to end, without blocking the cooperative pool.
    func wait() async -> Int32 {
        let process = UncheckedProcess(process: process)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.process.waitUntilExit()
                continuation.resume(returning: process.process.terminationStatus)
            }
        }
    }

    var stdout: String { (try? String(contentsOf: outFile, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: errFile, encoding: .utf8)) ?? "" }

    /// Runs to the end and returns status and output.
    static func run(_ arguments: [String], environment: [String: String] = [:], in workspace: Scratch) async throws -> (status: Int32, out: String, err: String) {
        let child = try Child(arguments, environment: environment, in: workspace)
        let status = await child.wait()
        return (status, child.stdout, child.stderr)
    }
}

func ledgerSummary(_ path: String) throws -> Summary {
    try Reports.summary(ledgerPath: path)
}

/// Sendable: only `waitUntilExit`, `terminationStatus` and `isRunning` are used across threads, which Process allows.
struct UncheckedProcess: @unchecked Sendable {
    let process: Process
}

/// Waits until the file at `path` holds at least `size` bytes, woken by the kernel (inotify) each time something in
/// its folder is created or written, rather than by a timer. Gives up when `stop()` turns true, checked at each
/// wake-up and at least once a second, so a child that exits without writing cannot hang the test.
func waitForFile(_ path: String, atLeast size: Int, unless stop: @escaping @Sendable () -> Bool) async -> Bool {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(returning: blockUntilFile(path, atLeast: size, unless: stop))
        }
    }
}

#if os(Linux)
private func blockUntilFile(_ path: String, atLeast size: Int, unless stop: () -> Bool) -> Bool {
    let events = inotify_init1(Int32(IN_CLOEXEC))
    guard events >= 0 else { return false }
    defer { close(events) }
    let folder = (path as NSString).deletingLastPathComponent
    guard inotify_add_watch(events, folder, UInt32(IN_CREATE | IN_MODIFY)) >= 0 else { return false }
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        if fileSize(path) >= size { return true }
        if stop() { return false }
        var ready = pollfd(fd: events, events: Int16(POLLIN), revents: 0)
        if poll(&ready, 1, 1000) > 0 { _ = read(events, &buffer, buffer.count) }
    }
}
#else
/// Without inotify, the size is checked every 10 ms: the portable path, for running the tests on macOS.
private func blockUntilFile(_ path: String, atLeast size: Int, unless stop: () -> Bool) -> Bool {
    while true {
        if fileSize(path) >= size { return true }
        if stop() { return false }
        usleep(10_000)
    }
}
#endif

private func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : -1
}
