"""The article page behind a teaser entry: whether to fetch it, robots.txt, main-text extraction.

`need` and `robots` rules are pure; `extraction` is the one importer of trafilatura;
`pages` is the wiring that fetches through `digests.fetching.Fetcher` and stores the result.
"""
