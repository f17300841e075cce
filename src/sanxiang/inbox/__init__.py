"""The inbox (待办) without its HTML: what waits for a user, by kind, composed from the selectors of
cases, review, publication, supervision and evaluation (`sanxiang.inbox.selectors`). The pages
(`web.inbox`) and the API (`api.inbox`) render it, each with its own links to the resources."""
