import ArgumentParser
import Foundation
import LemlistEmulator
import MailboxOnboard
import OnboardInput

struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Serve a local stand-in for lemlist's connect endpoint, to rehearse a run.",
        discussion: "Point a run at it with --base-url http://127.0.0.1:PORT/api and LEMLIST_API_KEY set to one of its keys."
    )

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 8025

    @Option(help: "Answer latency: 200ms, 1s, or a range 100ms..2s.")
    var latency: String = "200ms..800ms"

    @Option(help: "Faults per request, e.g. 500=0.05,503=0.02,reset=0.02,drop=0.01,hang=0.01,429=0.02,badbody=0.01.")
    var faults: String = ""

    @Option(name: .customLong("key"), help: "An API key it accepts. Repeatable.")
    var keys: [String] = ["emulator-key"]

    @Option(help: "Seed for latency and faults.")
    var seed: UInt64 = 1

    func run() async throws {
        guard let latencyRange = EmulatorConfiguration.parseLatency(latency) else { throw ValidationError("--latency: expected 200ms or 100ms..2s") }
        guard let plan = FaultPlan.parse(faults) else { throw ValidationError("--faults: expected kind=probability,... with kinds \(FaultPlan.Fault.allCases.map(\.rawValue).joined(separator: ", "))") }
        let emulator = try await LemlistEmulator.start(
            configuration: EmulatorConfiguration(apiKeys: Set(keys), latency: latencyRange, faults: plan, seed: seed), port: port)
        print("lemlist emulator listening on \(emulator.baseURL) (\(keys.count) key\(keys.count == 1 ? "" : "s"); Ctrl-C to stop)")
        fflush(nil)
        let (stop, stopped) = AsyncStream<Void>.makeStream()
        let trap = SignalTrap { _ in stopped.finish() }
        for await _ in stop {}
        withExtendedLifetime(trap) {}
        let stats = emulator.statistics
        print("\nreceived \(stats.received) requests; created \(stats.created.count) mailboxes; answers by status: \(stats.byStatus.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "))")
        await emulator.stop()
    }
}
