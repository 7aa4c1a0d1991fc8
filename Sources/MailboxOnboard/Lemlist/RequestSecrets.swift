import Foundation
import OnboardInput

/// The secrets a request carries, for `ServerText.clean` to remove from what the server says about it.
enum RequestSecrets {
    /// The passwords in a connect request body.
    static func passwords(inRequestBody body: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return [] }
        return ["smtp_password", "imap_password"].compactMap { object[$0] as? String }
    }
}
