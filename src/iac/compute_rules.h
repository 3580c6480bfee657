// Deployable compute, decided in the plan so that Terraform, Bicep and ARM agree:
//  * a virtual machine owns the OS disk it creates from its image: that disk (a resource of its
//    own in the scanned tenant, managed by the VM) is not planned, and the VM's osDisk no
//    longer names its id, so the deployment creates it with the VM as Azure does;
//  * data disks that are resources of their own are attached (createOption "Attach");
//  * a Linux VM (or scale set) that signs in with SSH keys only gets one key from an input, an
//    OpenSSH public key the user provides, at /home/<admin user>/.ssh/authorized_keys: the
//    source's keys belong to the source's operators, and without a key the VM is unreachable;
//  * names Azure (and azurerm) reject are fitted: a computer name loses trailing '-' and '.'
//    (Windows: cut to 15 characters first), an administrator user name that Azure reserves
//    ("admin", "root", "test", ...) becomes "azureuser" and is named in a note.
//
// Thread-safety: pure functions.
#ifndef ATG_IAC_COMPUTE_RULES_H_
#define ATG_IAC_COMPUTE_RULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "iac/secret_rules.h"

namespace atg::iac {

// The ARM id (as written) of the OS disk `vm_body` (a VM's full or planned ARM body) creates
// from its image; "" when the VM attaches an existing OS disk or names none.
std::string OwnedOsDiskId(const json::object& vm_body);

// Shapes the planned body of a `lower_type` resource (virtual machines and scale sets; others
// are left alone) as above, and returns the slots of the inputs it needs: not secrets (public
// keys), for Plan::inputs with secret = false.
// `notes` receives a line per change the user should know about.
std::vector<SecretSlot> ShapeCompute(std::string_view lower_type, json::object* body,
                                     std::vector<std::string>* notes);

}  // namespace atg::iac

#endif  // ATG_IAC_COMPUTE_RULES_H_
