"""The official SendSafely Python SDK's whole flow against the emulator (emulator/tests/vendor_sdks.rs).

Usage: flow.py HOST send FILE WORKDIR (everything up to reading the message), then
flow.py HOST delete PACKAGE_ID (the test looks at the emulator's copy in between). HOST has no
trailing slash (the SDK signs "/api/v2.0" + endpoint). Each step's answer is reported, not
judged: the Rust test decides. Prints one JSON object.
"""
import hashlib
import json
import sys

from sendsafely import Package, SendSafely

host, phase = sys.argv[1:3]
SENDER = ("demo-api-key", "demo-api-secret")
RECIPIENT = ("bob-api-key", "bob-api-secret")
RECIPIENT_EMAIL = "bob@acme.example"
MESSAGE = "Here are the documents, ünïcødé included."

summary = {"steps": {}}


def step(name, call):
    """Runs one SDK call; records its answer's `response` (or the exception) under `name`."""
    try:
        answer = call()
    except Exception as e:  # the SDK raises its own exception types; all are reported alike
        summary["steps"][name] = "raised " + type(e).__name__ + ": " + str(e)
        print(json.dumps(summary))
        sys.exit(0)
    outcome = answer.get("response", "SUCCESS") if isinstance(answer, dict) else "SUCCESS"
    # Key generation nests the server's answer under "response".
    summary["steps"][name] = outcome.get("response") if isinstance(outcome, dict) else outcome
    return answer


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


sender = SendSafely(host, *SENDER)
if phase == "delete":
    step("delete_package", lambda: sender.delete_package(sys.argv[3]))
    print(json.dumps(summary))
    sys.exit(0)
file_path, work_dir = sys.argv[3:5]
user = step("user_information", sender.get_user_information)
summary["user_email"] = user.get("email")
device = step("trusted_device_key", lambda: sender.generate_trusted_device_key_pair("vendor SDK test"))

package = Package(sender)
summary["package_id"] = package.package_id
recipient = step("add_recipient", lambda: package.add_recipient(RECIPIENT_EMAIL))
step("add_phone_number",
     lambda: package.update_recipient_phone_number(recipient["recipientId"], "(514) 555-0000", "CA"))
uploaded = step("upload_file", lambda: package.encrypt_and_upload_file(file_path))
summary["file_id"] = uploaded["fileId"]
step("upload_message", lambda: package.encrypt_and_upload_message(MESSAGE))
finalized = step("finalize", package.finalize)
link = finalized["message"]
summary["link"] = link

keycode = step("trusted_device_keycode", lambda: sender.get_package_keycode(package.package_id))
summary["trusted_device_keycode"] = keycode["keyCode"]
step("revoke_trusted_device_key", lambda: sender.revoke_trusted_device_key(device["response"]["id"]))

receiver = SendSafely(host, *RECIPIENT)
info = step("package_information", lambda: receiver.get_package_information_from_link(link))
summary["package_state"] = info.get("packageState") or info.get("state")
received = receiver.load_package_from_link(link)
files = info.get("files", [])
summary["file_names"] = [f.get("fileName") for f in files]
step("download_file", lambda: received.download_and_decrypt_file(
    summary["file_id"], download_directory=work_dir, file_name="downloaded") or {})
summary["downloaded_sha256"] = sha256_of(work_dir + "/downloaded")
summary["message"] = step("read_message", lambda: {"text": received.get_package_message()})["text"]
print(json.dumps(summary))
