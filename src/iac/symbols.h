// Symbols: the identifiers generated IaC gives resources, principals and inputs. Readable
// (short type name + Azure name), valid in Terraform, Bicep and ARM ([a-z][a-z0-9_]*), unique,
// and stable: they depend only on the graph, so the same graph gives the same symbols.
//
// Thread-safety: reentrant.
#ifndef ATG_IAC_SYMBOLS_H_
#define ATG_IAC_SYMBOLS_H_

#include <string>
#include <string_view>

#include "iac/plan.h"

namespace atg::iac {

// "virtualNetworks" -> "virtual_networks", "publicIPAddresses" -> "public_ip_addresses";
// anything but letters and digits becomes '_', runs collapse, the ends are trimmed; "" -> "x".
std::string SnakeCase(std::string_view s);

// The short name of an ARM type: its last segment, singular, snake case
// ("Microsoft.Network/virtualNetworks/subnets" -> "subnet").
std::string ShortTypeName(std::string_view type);

// Sets PlannedResource::symbol and PlannedPrincipal::symbol for every entry. A collision adds
// the resource group, and only if still needed a short hash of the key.
void AssignSymbols(Plan* plan);

}  // namespace atg::iac

#endif  // ATG_IAC_SYMBOLS_H_
