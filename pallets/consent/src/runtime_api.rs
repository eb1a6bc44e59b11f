//! The runtime API of the consent check, for clients such as document stores and
//! `@polkadot/api` (`api.call.consentApi.checkAccess(...)`).

use codec::Codec;
use ehr_primitives::{AccessDecision, AccessRequest};

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// The consent check.
	pub trait ConsentApi<AccountId, BlockNumber>
	where
		AccountId: Codec,
		BlockNumber: Codec,
	{
		/// May `who` perform `request` now? Permitted by a grant, by an emergency window, or
		/// denied with a reason.
		fn check_access(who: AccountId, request: AccessRequest) -> AccessDecision<BlockNumber>;

		/// Was `who` permitted to perform `request` at block `at`, judged from the grants and
		/// windows still stored?
		fn check_access_at(
			who: AccountId,
			request: AccessRequest,
			at: BlockNumber,
		) -> AccessDecision<BlockNumber>;
	}
}
