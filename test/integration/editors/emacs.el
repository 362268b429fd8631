;;; emacs.el --- driven by emacs.test.ts  -*- lexical-binding: t -*-
;; Emacs (Debian's emacs-nox 28 with elpa-eglot) as a real LSP client of the bundled server, started by
;; the README's eglot recipe: opens a network definition, waits for the diagnostics that need the
;; snapshot the recipe names, asks for a hover as eldoc does, applies the quick fix the user picks from
;; `eglot-code-actions', waits for the diagnostic to go, writes what it saw to a JSON file, quits.
(require 'json)
(require 'cl-lib)

(let* ((cfg (json-read-file (getenv "LHD_EDITOR_CONFIG")))
       (timeout (/ (alist-get 'timeoutMs cfg) 1000.0))
       (code (alist-get 'code cfg))
       (report nil))
  (cl-labels ((finish ()
                (with-temp-file (alist-get 'out cfg) (insert (json-encode report)))
                (kill-emacs 0))
              (note (key value) (push (cons key value) report))
              (wait-for (predicate)
                (let ((deadline (+ (float-time) timeout)) done)
                  (while (and (not (setq done (funcall predicate))) (< (float-time) deadline))
                    (accept-process-output nil 0.05))
                  done))
              (ours ()
                (flymake-start)
                (cl-remove-if-not (lambda (d) (string-match-p (regexp-quote code) (flymake-diagnostic-text d)))
                                  (flymake-diagnostics))))
    ;; what Emacs does at start for a user: Debian's elpa-eglot is a package
    (package-initialize)
    (load (alist-get 'recipe cfg) nil t)
    (require 'eglot)
    (find-file (alist-get 'file cfg))
    (note 'mode (symbol-name major-mode))
    ;; M-x eglot
    (call-interactively #'eglot)
    (unless (wait-for #'eglot-current-server) (finish))
    (note 'connected t)
    (let ((found (wait-for #'ours)))
      (note 'diagnostics (mapcar #'flymake-diagnostic-text found))
      (unless found (finish))
      ;; what eldoc shows on the portgroup's name: the hover eglot asks for, as its capabilities say
      (goto-char (point-min))
      (search-forward (alist-get 'hoverAt cfg))
      (let ((contents (plist-get (jsonrpc-request (eglot-current-server) :textDocument/hover
                                                  (eglot--TextDocumentPositionParams))
                                 :contents)))
        (note 'hoverKind (plist-get contents :kind))
        (note 'hover (plist-get contents :value)))
      ;; M-x eglot-code-actions with point on the diagnostic, picking the fix by its title as the user
      ;; would: typed at the keyboard (RET was the last key), eglot asks with completing-read
      (goto-char (flymake-diagnostic-beg (car found)))
      (let ((last-nonmenu-event ?\r))
        (cl-letf (((symbol-function 'completing-read)
                   (lambda (_prompt collection &rest _)
                     (let ((titles (mapcar (lambda (c) (if (consp c) (car c) c)) collection)))
                       (note 'actions (vconcat titles))
                       (cl-find-if (lambda (title) (string-prefix-p (alist-get 'pick cfg) title)) titles)))))
          (call-interactively #'eglot-code-actions))))
    (note 'text (buffer-substring-no-properties (point-min) (point-max)))
    ;; eglot sends the edit from an idle timer, and batch Emacs is never idle: send it as that timer would
    (eglot--signal-textDocument/didChange)
    (note 'cleared (if (wait-for (lambda () (null (ours)))) t :json-false))
    (finish)))
