/** GraphQL documents sent to Hardcover (≤ 5 top-level fields, one `search` per request). */

const EDITION = `id asin isbn_13 isbn_10 edition_format reading_format_id audio_seconds release_date
  publisher { name } language { language code2 } image { url width height }
  contributions { contribution author { name } }`;

const BOOK = `id title subtitle description release_date release_year audio_seconds rating image { url width height }
  contributions { contribution author { name } }
  book_series(order_by: { featured: desc }) { position details featured series { name } }
  cached_tags
  default_audio_edition { ${EDITION} }`;

export const SEARCH_QUERY = `query BridgeSearch($query: String!, $perPage: Int!) {
  search(query: $query, query_type: "Book", per_page: $perPage, page: 1) { results }
}`;

export const BY_ID_QUERY = `query BridgeBookById($id: Int!) {
  books_by_pk(id: $id) { ${BOOK} }
}`;

export const BY_ISBN_QUERY = `query BridgeBookByIsbn($isbn: String!) {
  books(where: { editions: { _or: [{ isbn_13: { _eq: $isbn } }, { isbn_10: { _eq: $isbn } }] } }, limit: 1,
        order_by: { users_count: desc }) {
    ${BOOK}
    editions(where: { _or: [{ isbn_13: { _eq: $isbn } }, { isbn_10: { _eq: $isbn } }] }, limit: 1) { ${EDITION} }
  }
}`;

export const BY_ASIN_QUERY = `query BridgeBookByAsin($asin: String!) {
  books(where: { editions: { asin: { _eq: $asin }, reading_format_id: { _eq: 2 } } }, limit: 1) {
    ${BOOK}
    editions(where: { asin: { _eq: $asin } }, limit: 1) { ${EDITION} }
  }
}`;
