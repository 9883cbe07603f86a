// PLACEHOLDER: the gRPC helper writes provisioningctl.
return 0;
