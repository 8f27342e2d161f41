package gateway.router.exchange;

import gateway.router.provider.ApiFormat;

/**
 * The format an endpoint's clients speak. An endpoint's protocol implements the ways of answering
 * it supports: {@link TranslatedAnswers} when answers may come by way of the OpenAI chat shape,
 * {@link NativeAnswers} (and {@link NativeStreams}) when a route speaking the format itself may
 * answer untranslated. Nothing an endpoint does not support is there to throw.
 */
public interface ClientProtocol {

  ApiFormat format();
}
