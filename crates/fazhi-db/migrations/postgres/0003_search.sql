-- Keyword search over matters, derived from the records and rebuilt by `fazhi reindex`.
-- `matter_search.text` is what a search may match (summary, party names, place, address);
-- `matter_terms` lists its terms (two-character pieces of Chinese text, whole Latin
-- words and numbers), so that two-character words such as 土地 and names are found.

CREATE TABLE matter_search (
    matter_id BIGINT PRIMARY KEY REFERENCES matters (id),
    text TEXT NOT NULL
);

CREATE TABLE matter_terms (
    term TEXT NOT NULL,
    matter_id BIGINT NOT NULL REFERENCES matters (id),
    PRIMARY KEY (term, matter_id)
);
CREATE INDEX matter_terms_matter_idx ON matter_terms (matter_id);
