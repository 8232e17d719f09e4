"""newsarchive: crawl news sites into one searchable SQLite archive.

This package is the command line (``newsarchive.cli``); the work is done by ``scrapers``
(the crawl), ``pipelines`` (its item pipelines) and ``archive`` (the store and its search).
"""
